"""Reading the directory: search by name, e-mail, username or id; names for ids; the last sync.

A search splits what was typed into words (as the terms were split); every word must be the start
of some term of the entry. The longest word is looked up as an index range on the term table; the
others narrow those candidates. Active users come before suspended ones, then by name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Lower

from directory.models import DirectoryFile, DirectorySection, DirectorySync, DirectoryUser, FileTerm, UserTerm
from directory.services import MAX_TERM, terms_of

RESULTS = 20
_TOP = "\U0010ffff"  # above every character: [word, word + _TOP) holds exactly the terms starting with word


def _words(query: str) -> list[str]:
    return sorted(terms_of(query), key=len, reverse=True)[:5]


def _prefix(word: str) -> dict[str, str]:
    word = word[:MAX_TERM]
    # The range is what the index answers; startswith keeps it exact under a non-C collation
    # (PostgreSQL's en_US sorts some other strings into the range).
    return {"term__gte": word, "term__lt": word + _TOP, "term__startswith": word}


def _matching(rows: QuerySet[Any], term_model: Any, fk: str, query: str) -> QuerySet[Any]:
    words = _words(query)
    if not words:
        return rows.none()
    first, *others = words
    rows = rows.filter(pk__in=term_model.objects.filter(**_prefix(first)).values(fk))
    for word in others:
        rows = rows.filter(Exists(term_model.objects.filter(**{fk: OuterRef("pk")}, **_prefix(word))))
    return rows


def users_search(query: str, *, limit: int = RESULTS) -> list[DirectoryUser]:
    """Return up to ``limit`` users whose name, e-mail, username or id words start with what was typed."""
    rows = _matching(DirectoryUser.objects.all(), UserTerm, "user", query)
    return list(rows.order_by("suspended", "display_name", "workiva_id")[:limit])


def files_search(query: str, *, kind: str | None = None, limit: int = RESULTS) -> list[DirectoryFile]:
    """Return up to ``limit`` files (of ``kind`` when given) whose name or id words start with what was typed.

    An empty query lists the first files by name (there are far fewer files than people).
    """
    rows = DirectoryFile.objects.all()
    if kind:
        rows = rows.filter(kind=kind)
    if query.strip():
        rows = _matching(rows, FileTerm, "file", query)
    return list(rows.order_by("name", "workiva_id")[:limit])


def sections_search(sections: Iterable[DirectorySection], query: str) -> list[DirectorySection]:
    """Return the sections whose name or id contains every word typed (a file has few)."""
    words = terms_of(query)
    return [s for s in sections if all(w in f"{s.name} {s.workiva_id}".casefold() for w in words)]


@dataclass(frozen=True, slots=True)
class Known:
    """What the directory says about one id: its name, and whether it is a suspended user."""

    id: str
    label: str
    detail: str = ""
    suspended: bool = False


def users_by_id(ids: Iterable[str]) -> dict[str, Known]:
    """Return what the directory knows of each user id in ``ids`` (ids it does not know are left out)."""
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    rows = DirectoryUser.objects.filter(workiva_id__in=wanted).only("workiva_id", "display_name", "email", "suspended")
    return {u.workiva_id: Known(u.workiva_id, u.display_name, u.email, u.suspended) for u in rows}


def lookup(kind: str, ids: Iterable[str]) -> tuple[dict[str, Known], bool]:
    """Return what the directory knows of ``ids`` (users for ``kind`` "user", else files or sections)
    and whether it holds any entry of that kind at all, in one query."""
    wanted = {i for i in ids if i}
    model: Any = DirectoryUser if kind == "user" else DirectoryFile
    first = Subquery(model.objects.order_by("pk").values("pk")[:1])
    if kind == "section":
        found = sections_by_id(wanted)
        return found, bool(found) or files_filled()
    rows = list(model.objects.filter(Q(workiva_id__in=wanted) | Q(pk=first)))
    known = {
        row.workiva_id: Known(row.workiva_id, row.display_name, row.email, row.suspended)
        if kind == "user"
        else Known(row.workiva_id, row.name, row.kind)
        for row in rows
        if row.workiva_id in wanted
    }
    return known, bool(rows)


def files_by_id(ids: Iterable[str]) -> dict[str, Known]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    rows = DirectoryFile.objects.filter(workiva_id__in=wanted).only("workiva_id", "name", "kind")
    return {f.workiva_id: Known(f.workiva_id, f.name, f.kind) for f in rows}


def sections_by_id(ids: Iterable[str]) -> dict[str, Known]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    rows = DirectorySection.objects.filter(workiva_id__in=wanted).select_related("file")
    return {s.workiva_id: Known(s.workiva_id, s.name, s.file.name) for s in rows}


@dataclass(frozen=True, slots=True)
class FileSections:
    """A file the directory knows, with its sections when they have been fetched (None until then)."""

    name: str
    sections: dict[str, str] | None  # section id -> name


def sections_of(file_ids: Iterable[str]) -> dict[str, FileSections]:
    """Return, for each file id of ``file_ids`` the directory knows, its name and fetched sections (two queries)."""
    wanted = {i for i in file_ids if i}
    if not wanted:
        return {}
    files = list(DirectoryFile.objects.filter(workiva_id__in=wanted).only("workiva_id", "name", "sections_fetched"))
    fetched = [f.pk for f in files if f.sections_fetched is not None]
    names: dict[int, dict[str, str]] = {pk: {} for pk in fetched}
    for section in DirectorySection.objects.filter(file_id__in=fetched).only("file_id", "workiva_id", "name"):
        names[section.file_id][section.workiva_id] = section.name
    return {f.workiva_id: FileSections(f.name, names.get(f.pk)) for f in files}


def last_sync() -> DirectorySync | None:
    return DirectorySync.objects.select_related("by").first()


def users_filled() -> bool:
    """Return True once a sync has listed users: only then is an unknown user id worth a warning."""
    return DirectoryUser.objects.exists()


def files_filled() -> bool:
    return DirectoryFile.objects.exists()


def counts() -> dict[str, int]:
    return {
        "users": DirectoryUser.objects.count(),
        "suspended": DirectoryUser.objects.filter(suspended=True).count(),
        "documents": DirectoryFile.objects.filter(kind=DirectoryFile.Kind.DOCUMENT).count(),
        "spreadsheets": DirectoryFile.objects.filter(kind=DirectoryFile.Kind.SPREADSHEET).count(),
    }


@dataclass(frozen=True, slots=True)
class NameMatch:
    """The users a name typed elsewhere (a checklist's owner cell) may mean: none, one, or several."""

    users: tuple[Known, ...]
    how: str = ""  # "e-mail", "username", "user id" or "name"


def users_by_names(names: Iterable[str]) -> dict[str, NameMatch]:
    """Return, for each name in ``names`` that the directory knows, who it means, in one query.

    A name is looked for, in this order, as an e-mail address, a username, a Workiva user id and a
    display name, case ignored; the first way that finds anyone answers (several users with the
    same display name are all returned: the caller decides). Names the directory does not know are
    left out.
    """
    wanted = {n.strip() for n in names if n and n.strip()}
    if not wanted:
        return {}
    lowered = {n.casefold() for n in wanted} | {n.lower() for n in wanted}
    rows = list(
        DirectoryUser.objects.annotate(
            email_l=Lower("email"), username_l=Lower("username"), name_l=Lower("display_name")
        )
        .filter(Q(email_l__in=lowered) | Q(username_l__in=lowered) | Q(workiva_id__in=wanted) | Q(name_l__in=lowered))
        .only("workiva_id", "display_name", "email", "username", "suspended")
        .order_by("workiva_id")[:10_000]
    )
    ways: dict[str, dict[str, list[Known]]] = {"e-mail": {}, "username": {}, "user id": {}, "name": {}}
    for u in rows:
        known = Known(u.workiva_id, u.display_name, u.email, u.suspended)
        for how, value in (
            ("e-mail", u.email),
            ("username", u.username),
            ("user id", u.workiva_id),
            ("name", u.display_name),
        ):
            if value:
                ways[how].setdefault(value.casefold(), []).append(known)
    found: dict[str, NameMatch] = {}
    for name in wanted:
        for how, table in ways.items():
            if users := table.get(name.casefold()):
                found[name] = NameMatch(tuple(users), how)
                break
    return found
