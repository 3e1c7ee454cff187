"""Errors a user can cause when changing a draft, with messages written for them."""

from __future__ import annotations

CHANGED = "This draft changed since you opened it — here is the current version."


class DraftError(Exception):
    """A change to a draft that was refused; ``str()`` is the message for the user."""


class DraftConflict(DraftError):
    """The change was based on an older version of the draft."""

    def __init__(self, *, expected: int, actual: int) -> None:
        self.expected = expected
        self.actual = actual
        super().__init__(f"{CHANGED} (You were editing version {expected}; it is now version {actual}.)")


class EditConflict(DraftConflict):
    """A change based on an older version that touches what someone changed since (the same field of
    the same node, or the same setting); the message names who changed what, and their value."""

    def __init__(self, message: str, *, expected: int, actual: int) -> None:
        self.expected = expected
        self.actual = actual
        DraftError.__init__(self, f"{CHANGED} {message}")


class TreeError(DraftError):
    """The change would break the tree's rules (root, jobs without children, no cycles)."""


class AccountError(Exception):
    """A teammate that could not be added; ``str()`` is the message for the administrator."""


class OperationConflict(TreeError):
    """An undo or redo refused because what it would put back has been changed since.

    ``operation_id``: the operation that could not be undone (or redone), when known.
    """

    def __init__(self, message: str, *, operation_id: int | None = None) -> None:
        self.operation_id = operation_id
        super().__init__(message)
