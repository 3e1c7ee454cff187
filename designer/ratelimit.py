"""A per-user budget for expensive actions (importing a file, duplicating a draft), kept in the cache.

Each action allows ``count`` uses per ``seconds``-long window and user; settings may change the
budgets through ``DESIGNER_RATE_LIMITS`` (``{"import": (10, 60)}``). Views answer 429 with
:func:`message` and a ``Retry-After`` of :attr:`Limited.retry_after` seconds.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "import": (10, 60),  # files or API bodies parsed, per minute
    "duplicate": (10, 60),  # whole drafts copied, per minute
}
_WORDS = {"import": "imports", "duplicate": "draft copies"}


class Limited(Exception):
    """``user`` used up ``action``'s budget; ``retry_after`` seconds until the next window."""

    def __init__(self, action: str, count: int, seconds: int, retry_after: int) -> None:
        self.action = action
        self.retry_after = retry_after
        super().__init__(
            f"Too many {_WORDS.get(action, action)}: at most {count} a {'minute' if seconds == 60 else f'{seconds} s'}. "
            f"Try again in {retry_after} seconds."
        )


def limit(*, user_id: int, action: str) -> None:
    """Count one use of ``action`` by ``user_id``; raise :class:`Limited` when over the budget."""
    count, seconds = {**DEFAULT_LIMITS, **getattr(settings, "DESIGNER_RATE_LIMITS", {})}[action]
    now = time.time()
    window = int(now // seconds)
    key = f"ratelimit:{action}:{user_id}:{window}"
    cache.add(key, 0, timeout=seconds + 1)
    try:
        used = cache.incr(key)
    except ValueError:  # the entry expired between add and incr: this is the window's first use
        cache.set(key, 1, timeout=seconds + 1)
        used = 1
    if used > count:
        raise Limited(action, count, seconds, max(1, int((window + 1) * seconds - now)))
