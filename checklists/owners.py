"""Who an owner or reviewer cell names: the hook where the user directory plugs in.

A checklist names people as it knows them: an e-mail address, "Jane Doe", a login. The API wants a
Workiva user id. The user directory (a separate piece of work) will know both; until it is merged
nothing matches and every name is kept as typed and flagged in the preview, so the owner sets the
user id in the editor.

The hook is one setting, ``CHECKLIST_OWNER_LOOKUP``: the dotted path of a function that takes the
distinct names of a file (``list[str]``) and returns ``{name: user_id}`` for those it recognises
(by e-mail or display name). The directory sets it to its own lookup; tests set a fake.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.utils.module_loading import import_string

Lookup = Callable[[list[str]], dict[str, str]]


def owner_lookup() -> Lookup | None:
    """Return the configured lookup, or None while there is no user directory."""
    path = getattr(settings, "CHECKLIST_OWNER_LOOKUP", None)
    return import_string(path) if path else None


def match_owners(names: Iterable[str]) -> dict[str, str]:
    """Return ``{name: user_id}`` for the names the directory recognises (none without a directory)."""
    lookup = owner_lookup()
    wanted = sorted({n for n in names if n})
    if lookup is None or not wanted:
        return {}
    found = lookup(wanted)
    return {name: str(found[name]) for name in wanted if found.get(name)}
