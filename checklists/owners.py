"""Who an owner or reviewer cell names: a person matched to the user directory, or kept as typed.

A checklist names people as it knows them: an e-mail address, "Jane Doe", a login. The API wants a
Workiva user id. The user directory (``directory``: the cache of Workiva users a sync fills) knows
both, so every distinct name of a file is looked up in one query
(``directory.selectors.users_by_names``: by e-mail, username, user id, then display name, case
ignored). A name found once becomes that user's id; a name that is nobody, or several people (two
"Sam Lee"), or a directory never synced, is kept as typed and flagged on its row, so the owner sets
the user id in the editor. A column of ids (``Owner (user id)``, as the export writes) is not
looked up, but an id the filled directory does not know is flagged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from directory.selectors import Known, NameMatch, users_by_id, users_by_names, users_filled

KEPT = "kept as typed — set the user id in the editor"


@dataclass
class Owners:
    """What the directory says of a file's owner cells: ``names`` matched, ``ids`` known, and whether it is filled."""

    names: dict[str, NameMatch] = field(default_factory=dict)
    ids: dict[str, Known] = field(default_factory=dict)
    filled: bool = False

    def resolve(self, text: str, label: str, *, typed_id: bool = False) -> tuple[str | None, str | None]:
        """Return the user id ``text`` stands for (None: keep it as typed) and the problem to report, if any."""
        if typed_id:
            known = self.ids.get(text)
            if known is None:
                if not self.filled:
                    return text, None
                return (
                    text,
                    f"{label} id “{text}” is not a user in the directory; kept as typed — check it in the editor",
                )
            return text, _suspended(label, text, known)
        if not self.filled:
            return None, (
                f"{label} “{text}” is not matched to a Workiva user (the user directory is empty: sync it on the "
                f"Directory page); {KEPT}"
            )
        match = self.names.get(text.strip())
        if match is None:
            return None, (
                f"{label} “{text}” is not matched to a Workiva user (no e-mail, username, user id or name in the "
                f"directory is “{text}”); {KEPT}"
            )
        if len(match.users) > 1:
            who = ", ".join(f"{u.label} <{u.detail}>" if u.detail else u.label for u in match.users[:5])
            return None, f"{label} “{text}” is {len(match.users)} users in the directory ({who}); {KEPT}"
        user = match.users[0]
        return user.id, _suspended(label, text, user)

    def shown(self, text: str) -> str:
        """Return who a matched name is, as the preview shows it: the directory's name for the user."""
        match = self.names.get(text.strip())
        return match.users[0].label if match and len(match.users) == 1 else text


def _suspended(label: str, text: str, user: Known) -> str | None:
    if not user.suspended:
        return None
    return f"{label} “{text}” ({user.label}) is suspended in Workiva; kept, but choose someone active in the editor"


def match_owners(names: Iterable[str], ids: Iterable[str] = ()) -> Owners:
    """Return what the directory knows of ``names`` (typed people) and ``ids`` (typed user ids): two queries."""
    wanted = sorted({n.strip() for n in names if n and n.strip()})
    wanted_ids = sorted({i.strip() for i in ids if i and i.strip()})
    if not wanted and not wanted_ids:
        return Owners()
    filled = users_filled()
    if not filled:
        return Owners()
    return Owners(names=users_by_names(wanted), ids=users_by_id(wanted_ids), filled=True)
