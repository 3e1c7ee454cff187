"""The shape of a process tree that payload translation and lint read, whatever stores it.

``processes_api`` knows nothing of the designer's database: :func:`~processes_api.payload.build_payload`
and :func:`~processes_api.lint.lint_tree` take any object with these attributes (the designer's
``Tree`` of ``Draft`` and ``Node`` rows is one). The attributes mirror the API's process, group and
job fields under their Python names: the registry (``schema.PROCESS_FIELDS``, ``GROUP_FIELDS``)
names each attribute, and code reads them through it rather than through this protocol.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Protocol
from uuid import UUID


class ProcessSettings(Protocol):
    """A draft: its unknown fields, its due date (jobs are checked against it) and, under their
    ``schema.PROCESS_FIELDS`` attribute names, the other process settings."""

    @property
    def due_date(self) -> str | None: ...
    @property
    def extra(self) -> Any: ...


class ProcessNode(Protocol):
    """A group or a job; a group also has the ``schema.GROUP_FIELDS`` attributes, a job's are empty."""

    @property
    def key(self) -> UUID: ...
    @property
    def kind(self) -> str: ...
    @property
    def is_group(self) -> bool: ...
    @property
    def is_root(self) -> bool: ...
    @property
    def job_type(self) -> str: ...
    @property
    def arguments(self) -> Any: ...
    @property
    def extra(self) -> Any: ...


class ProcessTree(Protocol):
    """A whole process: its settings and its root group, with children in order."""

    @property
    def draft(self) -> ProcessSettings: ...
    @property
    def root(self) -> ProcessNode: ...
    def children(self, node: Any) -> Sequence[ProcessNode]: ...
    def walk(self, start: Any = None) -> Iterator[tuple[ProcessNode, int]]: ...
