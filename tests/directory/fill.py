"""Builders of a small directory for tests: users, files and sections with their search terms."""

from __future__ import annotations

from django.utils import timezone

from directory.models import DirectoryFile, DirectorySection, DirectoryUser, FileTerm, UserTerm
from directory.services import terms_of


def add_user(workiva_id: str, name: str, email: str = "", *, suspended: bool = False) -> DirectoryUser:
    user = DirectoryUser.objects.create(
        workiva_id=workiva_id,
        display_name=name,
        email=email,
        status="suspended" if suspended else "active",
        suspended=suspended,
        synced=timezone.now(),
    )
    UserTerm.objects.bulk_create(UserTerm(user=user, term=t) for t in terms_of(name, email, workiva_id))
    return user


def add_file(workiva_id: str, name: str, kind: str = "Document", sections: tuple[str, ...] = ()) -> DirectoryFile:
    now = timezone.now()
    file = DirectoryFile.objects.create(
        workiva_id=workiva_id, name=name, kind=kind, synced=now, sections_fetched=now if sections else None
    )
    FileTerm.objects.bulk_create(FileTerm(file=file, term=t) for t in terms_of(name, workiva_id))
    DirectorySection.objects.bulk_create(
        DirectorySection(file=file, workiva_id=f"{workiva_id}_{i + 1}", name=s, index=i) for i, s in enumerate(sections)
    )
    return file


def small_directory() -> dict[str, object]:
    """Ada and Grace (active), Sam (suspended), a name with markup; a 10-Q with three sections."""
    return {
        "ada": add_user("dXNlcjox", "Ada Lovelace", "ada@example.com"),
        "grace": add_user("dXNlcjoy", "Grace Hopper", "grace@example.com"),
        "sam": add_user("dXNlcjoz", "Sam Suspended", "sam@example.com", suspended=True),
        "markup": add_user("dXNlcjo0", '<img src=x onerror="window.pwned=1"> Eve', "eve@example.com"),
        "tenq": add_file("a" * 32, "Q1 2026 10-Q", sections=("Cover", "Financial statements", "Notes")),
        "deck": add_file("b" * 32, "Board deck"),
    }
