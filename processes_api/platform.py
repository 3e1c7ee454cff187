"""Workiva's platform API (general release, ``X-Version: 2026-01-01``): users, files, sections.

Facts from ``workiva-processes-api.md`` §8, each with its certainty like ``schema.py``'s. The same
host and OAuth grant as the Processes API; each endpoint needs its scope on the grant
(``organization:read`` for users and groups, ``file:read`` for files). Lists page like the
Processes list (``$maxpagesize`` ≤ 1,000, ``@nextLink``).

The item shapes are published as field lists, not schemas, so reading them is tolerant: an item
without an id is skipped (and counted), a missing display name is made from the other name
fields, a field that is an object where a string was expected (``container``, ``parent``) gives
its ``id``, and unknown fields are ignored. Which ``kind`` spellings come back beyond
``Document`` / ``Spreadsheet`` is [inferred]: compared without case.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from processes_api import schema
from processes_api.client import ApiError, Client

PLATFORM_VERSION = "2026-01-01"  # [doc] general release
ORGANIZATION_SCOPE = "organization:read"  # [doc] users, workspaces, groups
FILE_READ_SCOPE = "file:read"  # [doc] files, documents, sections, sheets
# Every scope the designer's grant needs: the Processes API's and the directory's.
DIRECTORY_SCOPES = (ORGANIZATION_SCOPE, FILE_READ_SCOPE)

USERS_PATH = "/organizations/{organization}/users"  # [doc]
WORKSPACES_PATH = "/organizations/{organization}/workspaces"  # [doc]
WORKSPACE_GROUPS_PATH = "/organizations/{organization}/workspaces/{workspace}/groups"  # [doc]
GROUP_MEMBERS_PATH = "/organizations/{organization}/workspaces/{workspace}/groups/{group}/members"  # [doc]
FILES_PATH = "/files"  # [doc] $filter with and: container eq, kind eq, name contains, template eq, type eq
SECTIONS_PATH = "/documents/{id}/sections"  # [doc]
SHEETS_PATH = "/spreadsheets/{id}/sheets"  # [doc]

# The file kinds a job may point at (a document, a spreadsheet) [doc: kind values; inferred: which a job takes].
DOCUMENT = "Document"
SPREADSHEET = "Spreadsheet"
FILE_KINDS = (DOCUMENT, SPREADSHEET)
SUSPENDED = "suspended"  # [doc] status: active / suspended


def kind_filter(kind: str) -> str:
    """Return the ``$filter`` for files of ``kind`` (quoting as ``schema.name_contains_filter``) [inferred]."""
    return "kind eq '{}'".format(kind.replace("'", "''"))


@dataclass(frozen=True, slots=True)
class User:
    id: str
    display_name: str
    email: str = ""
    username: str = ""
    status: str = "active"

    @property
    def suspended(self) -> bool:
        return self.status.lower() == SUSPENDED


@dataclass(frozen=True, slots=True)
class File:
    id: str
    name: str
    kind: str  # one of FILE_KINDS
    container: str = ""


@dataclass(frozen=True, slots=True)
class Section:
    """A document section or a spreadsheet sheet: ``{id, name, index, parent}``."""

    id: str
    name: str
    index: int = 0
    parent: str = ""


@dataclass
class Listing:
    """What a listing skipped: items it could not read (no id), by list."""

    skipped: int = 0
    pages: int = 0
    notes: list[str] = field(default_factory=list)


def _text(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("id")
    if value is None or isinstance(value, bool | dict | list):
        return ""
    return str(value).strip()


def read_user(item: Any) -> User | None:
    """Return the user an item of the users list describes, or None when it has no id."""
    if not isinstance(item, dict) or not _text(item.get("id")):
        return None
    given, family = _text(item.get("givenName")), _text(item.get("familyName"))
    email, username = _text(item.get("email")), _text(item.get("username"))
    name = (
        _text(item.get("displayName")) or " ".join(p for p in (given, family) if p) or username or email or item["id"]
    )
    status = _text(item.get("status")) or "active"
    return User(id=_text(item["id"]), display_name=name, email=email, username=username, status=status)


def read_file(item: Any, kind: str) -> File | None:
    """Return a listed file of ``kind``, or None when it has no id or is of another kind."""
    if not isinstance(item, dict) or not _text(item.get("id")):
        return None
    listed_kind = _text(item.get("kind"))
    if listed_kind and listed_kind.lower() != kind.lower():
        return None
    name = _text(item.get("name")) or _text(item["id"])
    return File(id=_text(item["id"]), name=name, kind=kind, container=_text(item.get("container")))


def read_section(item: Any, position: int) -> Section | None:
    if not isinstance(item, dict) or not _text(item.get("id")):
        return None
    index = item.get("index")
    return Section(
        id=_text(item["id"]),
        name=_text(item.get("name")) or _text(item["id"]),
        index=index if isinstance(index, int) and not isinstance(index, bool) else position,
        parent=_text(item.get("parent")),
    )


@dataclass
class PlatformClient(Client):
    """A :class:`Client` speaking the platform API's version, for one organization."""

    version: str = PLATFORM_VERSION
    organization_id: str = ""
    page_size: int = schema.MAX_PAGE_SIZE

    @classmethod
    def from_settings(cls, **overrides: Any) -> PlatformClient:
        values: dict[str, Any] = {
            "version": getattr(settings, "WORKIVA_PLATFORM_VERSION", PLATFORM_VERSION),
            "organization_id": getattr(settings, "WORKIVA_ORGANIZATION_ID", ""),
        } | overrides
        base: dict[str, Any] = {
            "api_url": settings.WORKIVA_API_URL,
            "token_url": settings.WORKIVA_TOKEN_URL,
            "client_id": settings.WORKIVA_CLIENT_ID,
            "client_secret": settings.WORKIVA_CLIENT_SECRET,
            "connect_timeout": settings.WORKIVA_CONNECT_TIMEOUT,
            "read_timeout": settings.WORKIVA_READ_TIMEOUT,
            "retry_budget": getattr(settings, "WORKIVA_RETRY_BUDGET", 30.0),
        }
        return cls(**(base | values))

    def _params(self, **extra: str) -> dict[str, Any]:
        return {schema.LIST_PAGE_SIZE_PARAM: min(self.page_size, schema.MAX_PAGE_SIZE), **extra}

    def users(self, listing: Listing | None = None) -> Iterator[User]:
        """Yield the organization's users (active and suspended), every page."""
        if not self.organization_id:
            raise ApiError(
                "No Workiva organization is configured: set WORKIVA_ORGANIZATION_ID (see docs/deploy.md). "
                "Nothing was sent."
            )
        path = USERS_PATH.format(organization=self.organization_id)
        for item in self.pages(path, params=self._params(), what="user list"):
            user = read_user(item)
            if user is None:
                if listing is not None:
                    listing.skipped += 1
                continue
            yield user

    def files(self, kind: str, listing: Listing | None = None) -> Iterator[File]:
        """Yield the files of ``kind`` (``DOCUMENT`` or ``SPREADSHEET``) the grant can read, every page."""
        params = self._params(**{schema.LIST_FILTER_PARAM: kind_filter(kind)})
        for item in self.pages(FILES_PATH, params=params, what="file list"):
            found = read_file(item, kind)
            if found is None:
                if listing is not None:
                    listing.skipped += 1
                continue
            yield found

    def sections(self, file_id: str, kind: str) -> list[Section]:
        """Return a document's sections or a spreadsheet's sheets, in the order listed."""
        path = (SHEETS_PATH if kind == SPREADSHEET else SECTIONS_PATH).format(id=file_id)
        found = []
        for position, item in enumerate(self.pages(path, params=self._params(), what="section list")):
            section = read_section(item, position)
            if section is not None:
                found.append(section)
        return found


def missing_scopes(granted: tuple[str, ...] | None, needed: tuple[str, ...]) -> list[str]:
    """Return the scopes in ``needed`` that ``granted`` lacks (none when the token did not say)."""
    if granted is None:
        return []
    return [scope for scope in needed if scope not in granted]


def is_permission_error(exc: ApiError) -> bool:
    """Return True when Workiva refused the call for the grant's rights (401 after a fresh token, 403)."""
    return exc.status in (401, 403)
