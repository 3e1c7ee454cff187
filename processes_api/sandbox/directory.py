"""The sandbox's seeded organization: users, documents with sections, spreadsheets with sheets.

Generated, not stored: the same settings give the same directory on every server and test run.
``WORKIVA_SANDBOX_USERS`` (default 240; every 12th suspended), ``WORKIVA_SANDBOX_DOCUMENTS``
(default 36, each with 4–9 sections) and ``WORKIVA_SANDBOX_SPREADSHEETS`` (default 6, each with
3–5 sheets) size it; the views page through it like Workiva's lists.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from typing import Any

from django.conf import settings

ORGANIZATION_ID = "0f5c3a52-8d7e-4a11-9b0c-3d2f6e1a7b44"
GIVEN = (
    "Ada", "Grace", "Alan", "Katherine", "Edsger", "Barbara", "Donald", "Frances", "Dennis", "Radia",
    "Ken", "Margaret", "Linus", "Hedy", "Tim", "Sophie", "John", "Mary", "Niklaus", "Shafi",
    "Zoë", "Siobhán", "José", "Ngozi", "Wei", "Priya", "Olu", "Mei", "Lars", "Amélie",
)  # fmt: skip
FAMILY = (
    "Lovelace", "Hopper", "Turing", "Johnson", "Dijkstra", "Liskov", "Knuth", "Allen", "Ritchie",
    "Perlman", "Thompson", "Hamilton", "Torvalds", "Lamarr", "Berners-Lee", "Wilson", "McCarthy",
    "Keller", "Wirth", "Goldwasser", "O'Brien", "Núñez", "Okafor", "Zhang", "Raman", "Adeyemi",
    "Chen", "Andersson", "Dubois", "Kowalski",
)  # fmt: skip
DOCUMENT_NAMES = (
    "10-Q", "10-K", "Board deck", "Audit committee memo", "Earnings release", "Proxy statement",
    "Management letter", "Close checklist", "Revenue memo", "Lease accounting memo", "Tax provision",
    "Controls narrative",
)  # fmt: skip
SECTION_NAMES = (
    "Cover", "Financial statements", "Notes", "MD&A", "Risk factors", "Controls and procedures",
    "Exhibits", "Signatures", "Appendix",
)  # fmt: skip
SPREADSHEET_NAMES = ("Trial balance", "Account reconciliations", "Fixed assets", "Accruals", "Headcount", "FX rates")
SHEET_NAMES = ("Summary", "Detail", "Lookup", "Adjustments", "Sign-off")
QUARTERS = ("Q1 2026", "Q2 2026", "Q3 2026", "FY 2025")


def _opaque(prefix: str, n: int) -> str:
    return base64.b64encode(f"{prefix}:{n}".encode()).decode()


def _hex_id(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@functools.cache
def _users(count: int) -> tuple[dict[str, Any], ...]:
    users = []
    for n in range(count):
        given = GIVEN[n % len(GIVEN)]
        family = FAMILY[(n // len(GIVEN) + n * 7) % len(FAMILY)]
        suffix = "" if n < len(GIVEN) * len(FAMILY) else f" {n}"
        handle = "".join(c for c in f"{given}.{family}".lower() if c.isascii() and (c.isalnum() or c == "."))
        username = f"{handle}{n}"
        users.append(
            {
                "id": _opaque("user", n + 1),
                "givenName": given,
                "familyName": family + suffix,
                "displayName": f"{given} {family}{suffix}",
                "email": f"{username}@example.com",
                "username": username,
                "status": "suspended" if n % 12 == 11 else "active",
            }
        )
    return tuple(users)


def users() -> tuple[dict[str, Any], ...]:
    return _users(int(getattr(settings, "WORKIVA_SANDBOX_USERS", 240)))


@functools.cache
def _files(documents: int, spreadsheets: int) -> tuple[dict[str, Any], ...]:
    files = []
    for n in range(documents):
        name = f"{QUARTERS[n // len(DOCUMENT_NAMES) % len(QUARTERS)]} {DOCUMENT_NAMES[n % len(DOCUMENT_NAMES)]}"
        if n >= len(DOCUMENT_NAMES) * len(QUARTERS):
            name += f" ({n})"
        files.append(_file(name, "Document", n))
    for n in range(spreadsheets):
        name = f"{SPREADSHEET_NAMES[n % len(SPREADSHEET_NAMES)]}" + (f" ({n})" if n >= len(SPREADSHEET_NAMES) else "")
        files.append(_file(name, "Spreadsheet", n))
    # A folder: listed by GET /files without a kind filter, never offered to a job.
    files.append(
        {"id": _hex_id("folder"), "name": "Quarter close", "kind": "Folder", "container": None, "type": "folder"}
    )
    return tuple(files)


def _file(name: str, kind: str, n: int) -> dict[str, Any]:
    return {
        "id": _hex_id(f"{kind}:{name}"),
        "name": name,
        "kind": kind,
        "container": _hex_id("folder"),
        "state": "active",
        "template": False,
        "type": kind.lower(),
    }


def files() -> tuple[dict[str, Any], ...]:
    return _files(
        int(getattr(settings, "WORKIVA_SANDBOX_DOCUMENTS", 36)),
        int(getattr(settings, "WORKIVA_SANDBOX_SPREADSHEETS", 6)),
    )


def file(file_id: str, kind: str) -> dict[str, Any] | None:
    return next((f for f in files() if f["id"] == file_id and f["kind"] == kind), None)


def sections(file_id: str, kind: str) -> list[dict[str, Any]]:
    """Return a document's sections (``<id>_<n>``) or a spreadsheet's sheets."""
    names = SHEET_NAMES if kind == "Spreadsheet" else SECTION_NAMES
    count = 3 + int(file_id[:2], 16) % (len(names) - 2)
    return [
        {
            "id": f"{file_id}_{n + 1}",
            "name": names[n],
            "index": n,
            "parent": None,
            "children": [],
            **({} if kind == "Spreadsheet" else {"nonPrinting": False, "lock": None}),
        }
        for n in range(count)
    ]
