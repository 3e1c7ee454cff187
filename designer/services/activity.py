"""Writes to a draft's activity log."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from designer.models import Activity, Draft

if TYPE_CHECKING:
    from django.contrib.auth.models import User


EDIT_FOLD_WINDOW = timedelta(minutes=15)


EDIT_SUMMARY_MAX = 600
SUMMARY_MAX = 2000
_REPEATS = re.compile(r"^(?P<text>.*) \(×(?P<count>\d+)\)$")


def activity_record(*, draft: Draft, actor: User | None, verb: str, summary: str = "") -> Activity:
    """Append one line to ``draft``'s activity log; ``verb`` is usually an ``Activity.Verb``.

    Edits are summarised: an ``edited`` line by the same person within 15 minutes of their last
    one folds into it (``count`` goes up), so a working session is one line, not hundreds. Its
    summary keeps one line per different change, newest first, a repeated one counted ("Rearranged
    the outline. (×3)"); the oldest lines give way when it grows long, never a word cut in half.
    """
    verb = str(verb)
    summary = _clipped(" ".join(summary.split()), SUMMARY_MAX)
    if verb == Activity.Verb.EDITED and actor is not None:
        last = Activity.objects.filter(draft=draft).order_by("-created", "-id").first()
        if (
            last is not None
            and last.verb == verb
            and last.actor_id == actor.pk
            and timezone.now() - last.updated < EDIT_FOLD_WINDOW
        ):
            last.count += 1
            if summary:
                last.summary = summary_fold(last.summary, summary)
            last.save(update_fields=["count", "summary", "updated"])
            return last
    return Activity.objects.create(draft=draft, actor=actor, verb=verb, summary=summary)


def summary_lines(summary: str) -> list[tuple[str, int]]:
    """Return a folded summary's lines as ``(text, times)``, newest first."""
    lines = []
    for line in summary.splitlines():
        match = _REPEATS.match(line)
        lines.append((match["text"], int(match["count"])) if match else (line, 1))
    return [(text, times) for text, times in lines if text]


def summary_fold(summary: str, new: str) -> str:
    """Return ``summary`` with ``new`` folded in on top: a repeat counts up instead of adding a line."""
    lines = summary_lines(summary)
    times = 1 + sum(n for text, n in lines if text == new)
    lines = [(new, times), *((text, n) for text, n in lines if text != new)]
    kept: list[str] = []
    size = 0
    for text, n in lines:
        line = f"{text} (×{n})" if n > 1 else text
        if kept and size + len(line) + 1 > EDIT_SUMMARY_MAX:
            break  # the oldest lines go whole
        kept.append(line)
        size += len(line) + 1
    return "\n".join(kept)


def _clipped(text: str, limit: int) -> str:
    """Return ``text`` cut to ``limit`` characters at a word boundary, marked with "…" when cut."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if " " in head:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:") + "…"


def display_name(user: Any) -> str:
    return str(user.get_username())
