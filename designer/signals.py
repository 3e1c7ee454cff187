"""Signals the designer sends for the apps above it.

``operation_committed`` is sent once per recorded :class:`~designer.models.Operation`, after the
transaction that wrote it has committed (``transaction.on_commit``), with ``operation=`` the row.
Live updates connect to it to tell the other people on the draft; receivers must be quick and
must not write to the draft (they run inside the request that made the edit).
"""

from __future__ import annotations

from django.dispatch import Signal

operation_committed = Signal()
