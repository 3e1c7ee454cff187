"""What changed in a draft since a version, as the parts of an outline patch.

Interim until the operation log (engineer "ops") lands: :func:`changes_since` knows no log and
answers None, so an editor that is behind gets the whole workspace.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from designer.models import Draft, Node


def changes_since(draft: Draft, version: int) -> Sequence[Any] | None:
    """Return the operations after ``version``, oldest first, or None when no log can say."""
    return None


def patch_parts(draft: Draft, operations: Sequence[Any]) -> tuple[list[Node], list[Node], list[UUID]]:
    """Return what an outline patch must ``place``, which ``groups``' headers it must redraw and which
    keys it ``removed``, for ``operations`` (records with ``keys``, ``removed`` and ``fields``)."""
    raise NotImplementedError
