"""Writes to a draft's activity log."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from designer.models import Activity, Draft

if TYPE_CHECKING:
    from django.contrib.auth.models import User


EDIT_FOLD_WINDOW = timedelta(minutes=15)


EDIT_SUMMARY_MAX = 600


def activity_record(*, draft: Draft, actor: User | None, verb: str, summary: str = "") -> Activity:
    """Append one line to ``draft``'s activity log; ``verb`` is usually an ``Activity.Verb``.

    Edits are summarised: an ``edited`` line by the same person within 15 minutes of their last
    one folds into it (``count`` goes up, the newest summaries are kept), so a working session is
    one line, not hundreds.
    """
    verb = str(verb)
    summary = summary.strip()
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
                joined = f"{summary}; {last.summary}" if last.summary else summary
                last.summary = joined if len(joined) <= EDIT_SUMMARY_MAX else joined[: EDIT_SUMMARY_MAX - 1] + "…"
            last.save(update_fields=["count", "summary", "updated"])
            return last
    return Activity.objects.create(draft=draft, actor=actor, verb=verb, summary=summary[:2000])


def display_name(user: Any) -> str:
    return str(user.get_username())
