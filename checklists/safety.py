"""Formula-injection safety for text written to a spreadsheet, and its undoing on the way back in."""

from __future__ import annotations

# What a spreadsheet program may run as a formula when a cell starts with it (OWASP's list).
UNSAFE_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Return ``value`` so that a spreadsheet shows it as text: a formula-like start gets an apostrophe."""
    return "'" + value if value.startswith(UNSAFE_START) else value


def unsafe_text(value: str) -> str:
    """Undo :func:`safe_text` on a cell read back (only an apostrophe before a formula-like start)."""
    return value[1:] if value.startswith("'") and value[1:].startswith(UNSAFE_START) else value
