"""Filling the directory from Workiva: the sync (users, documents, spreadsheets) and sections on demand.

Policy:

- A sync reads every page of a list before it writes anything of that list; then, in one
  transaction per list, it adds the new entries, rewrites only the changed ones (with their search
  terms) and removes those Workiva no longer lists. A list that fails half-way changes nothing,
  and the lists read before it stay synced. Incremental in what it writes, not in what it reads:
  Workiva publishes no "changed since" filter for users or files.
- Every sync is recorded (:class:`DirectorySync`) with its counts or its error.
- Sections and sheets are fetched when someone picks in a file and kept for ``SECTIONS_TTL``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from directory.models import DirectoryFile, DirectorySection, DirectorySync, DirectoryUser, FileTerm, UserTerm
from processes_api import platform
from processes_api.client import ApiError

logger = logging.getLogger(__name__)

SECTIONS_TTL = timedelta(hours=1)
_WORD = re.compile(r"\w+")
MAX_TERM = 200


def terms_of(*texts: str) -> set[str]:
    """Return the search terms of ``texts``: each word, case-folded (the same split as the search's)."""
    return {word[:MAX_TERM] for text in texts for word in _WORD.findall(text.casefold())}


@dataclass
class SyncResult:
    users: int = 0
    suspended: int = 0
    documents: int = 0
    spreadsheets: int = 0
    added: int = 0
    changed: int = 0
    removed: int = 0
    skipped: int = 0
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        """Return the one line the command prints: ``120 users, 35 documents, 4 spreadsheets``."""

        def n(count: int, word: str) -> str:
            return f"{count} {word}{'' if count == 1 else 's'}"

        text = f"{n(self.users, 'user')}, {n(self.documents, 'document')}, {n(self.spreadsheets, 'spreadsheet')}"
        extra = [f"{self.suspended} suspended"] if self.suspended else []
        extra += [f"{count} {word}" for count, word in ((self.added, "new"), (self.changed, "changed")) if count]
        if self.removed:
            extra.append(f"{self.removed} removed")
        if self.skipped:
            extra.append(f"{self.skipped} skipped without an id")
        return text + (f" ({', '.join(extra)})" if extra else "")


class SyncError(Exception):
    """A sync that could not finish: ``message`` is one line for a person; ``permission`` says whether
    the grant lacks a right (as opposed to a connection problem)."""

    def __init__(self, message: str, *, permission: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permission = permission


def directory_sync(
    *, client: platform.PlatformClient | None = None, by: Any = None, users: bool = True, files: bool = True
) -> SyncResult:
    """Fill the directory from Workiva and record the run; raise :class:`SyncError` when it cannot."""
    client = client or platform.PlatformClient.from_settings()
    record = DirectorySync.objects.create(by=by if getattr(by, "pk", None) else None)
    result = SyncResult()
    try:
        if users:
            _sync_users(client, result)
        if files:
            for kind in platform.FILE_KINDS:
                _sync_files(client, kind, result)
    except (ApiError, IntegrityError) as exc:
        error = (
            _sync_error(exc)
            if isinstance(exc, ApiError)
            else SyncError("Another refresh of the directory wrote the same entries meanwhile; try again.")
        )
        record.finished, record.error = timezone.now(), error.message
        record.counts = result.__dict__ | {"notes": result.notes}
        record.save(update_fields=["finished", "error", "counts"])
        logger.warning("Directory sync failed: %s", error.message)
        raise error from None
    record.finished, record.ok = timezone.now(), True
    record.counts = dict(result.__dict__)
    record.save(update_fields=["finished", "ok", "counts"])
    logger.info("Directory sync: %s", result.line())
    return result


def _sync_error(exc: ApiError) -> SyncError:
    if exc.status == 403:
        return SyncError(
            f"Workiva refused the directory: {exc.message}. The API grant needs the scopes "
            f"{' and '.join(platform.DIRECTORY_SCOPES)}.",
            permission=True,
        )
    if exc.status == 401:
        return SyncError(f"Workiva refused the credentials: {exc.message}", permission=True)
    return SyncError(f"Could not read the directory from Workiva: {exc.message}")


def _sync_users(client: platform.PlatformClient, result: SyncResult) -> None:
    listing = platform.Listing()
    listed = {user.id: user for user in client.users(listing)}
    result.skipped += listing.skipped
    now = timezone.now()

    def fields(u: platform.User) -> dict[str, Any]:
        return {
            "display_name": u.display_name[:500],
            "email": u.email[:320],
            "username": u.username[:200],
            "status": u.status[:50],
            "suspended": u.suspended,
        }

    with transaction.atomic():
        _apply(
            model=DirectoryUser,
            listed={key: fields(u) for key, u in listed.items()},
            now=now,
            result=result,
            terms=lambda row: [
                UserTerm(user=row, term=t) for t in terms_of(row.display_name, row.email, row.username, row.workiva_id)
            ],
            term_model=UserTerm,
            term_fk="user",
        )
    result.users = len(listed)
    result.suspended = sum(1 for u in listed.values() if u.suspended)


def _sync_files(client: platform.PlatformClient, kind: str, result: SyncResult) -> None:
    listing = platform.Listing()
    listed = {f.id: f for f in client.files(kind, listing)}
    result.skipped += listing.skipped
    with transaction.atomic():
        _apply(
            model=DirectoryFile,
            listed={
                key: {"name": f.name[:1000], "kind": kind, "container": f.container[:200]} for key, f in listed.items()
            },
            now=timezone.now(),
            result=result,
            terms=lambda row: [FileTerm(file=row, term=t) for t in terms_of(row.name, row.workiva_id)],
            term_model=FileTerm,
            term_fk="file",
            scope={"kind": kind},
        )
    if kind == platform.DOCUMENT:
        result.documents = len(listed)
    else:
        result.spreadsheets = len(listed)


def _apply(
    *,
    model: Any,
    listed: dict[str, dict[str, Any]],
    now: Any,
    result: SyncResult,
    terms: Callable[[Any], Iterable[Any]],
    term_model: Any,
    term_fk: str,
    scope: dict[str, Any] | None = None,
) -> None:
    """Add, update (only what changed) and remove rows of ``model`` to match ``listed`` (by Workiva id)."""
    rows = model.objects.filter(**(scope or {}))
    existing = {row.workiva_id: row for row in rows}
    if scope:  # a file listed under another kind than before moves rather than being added twice
        unseen = [key for key in listed if key not in existing]
        existing |= {row.workiva_id: row for row in model.objects.filter(workiva_id__in=unseen)}
    gone = [row.pk for key, row in existing.items() if key not in listed]
    if gone:
        model.objects.filter(pk__in=gone).delete()
        result.removed += len(gone)
    new = [model(workiva_id=key, synced=now, **values) for key, values in listed.items() if key not in existing]
    changed = []
    for key, values in listed.items():
        row = existing.get(key)
        if row is not None and any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            changed.append(row)
    if new:
        model.objects.bulk_create(new, batch_size=500)
        if new[0].pk is None:  # backends that do not return ids
            new = list(model.objects.filter(workiva_id__in=[row.workiva_id for row in new]))
    if changed:
        model.objects.bulk_update(changed, list(next(iter(listed.values())).keys()), batch_size=500)
        term_model.objects.filter(**{f"{term_fk}__in": changed}).delete()
    term_model.objects.bulk_create([t for row in [*new, *changed] for t in terms(row)], batch_size=1000)
    rows.update(synced=now)  # what is left of this list is what Workiva listed
    result.added += len(new)
    result.changed += len(changed)


def sections_fetch(*, file: DirectoryFile, client: platform.PlatformClient | None = None) -> list[DirectorySection]:
    """Return the file's sections, fetching them from Workiva when not fetched within ``SECTIONS_TTL``.

    Raises :class:`ApiError` when they must be fetched and cannot be.
    """
    fresh = file.sections_fetched and timezone.now() - file.sections_fetched < SECTIONS_TTL
    if not fresh:
        client = client or platform.PlatformClient.from_settings()
        found = client.sections(file.workiva_id, file.kind)
        with transaction.atomic():
            file.sections.all().delete()
            DirectorySection.objects.bulk_create(
                DirectorySection(
                    file=file, workiva_id=s.id[:300], name=s.name[:1000], index=s.index, parent=s.parent[:300]
                )
                for s in {s.id: s for s in found}.values()
            )
            file.sections_fetched = timezone.now()
            file.save(update_fields=["sections_fetched"])
    return list(file.sections.all())
