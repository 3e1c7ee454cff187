"""Importing an existing Workiva process (``GET /processes/{id}``) into a new draft."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from designer.models import Draft, ImportedServerId, WorkivaOrigin
from designer.selectors.trees import draft_tree
from designer.services.drafts import draft_import
from processes_api.client import Client
from processes_api.fetched import importable, server_ids


@dataclass(frozen=True, slots=True)
class ProcessImport:
    draft: Draft
    process_id: str
    lacking: list[str]  # paths of the jobs that came without their arguments
    server_ids: int = 0  # nodes whose Workiva id was recorded


def draft_import_process(*, process_id: str, owner: User, client: Client | None = None) -> ProcessImport:
    """Fetch process ``process_id`` from Workiva and create a draft of it; nothing is written on failure.

    Raises :class:`processes_api.client.ApiError` when it cannot be fetched and
    :class:`processes_api.payload.PayloadError` when the answer is not a process.
    """
    client = client or Client.from_settings()
    document = client.get(process_id)
    data, lacking = importable(document)
    summary = f"Imported from Workiva process {process_id}."
    if lacking:
        jobs = f"{len(lacking)} job{'s' if len(lacking) != 1 else ''}"
        summary += f" Workiva's answer lacked the details of {jobs}: fill them in before publishing."
    with transaction.atomic():
        draft = draft_import(data=data, owner=owner, summary=summary[:500])
        recorded = _remember_origin(draft, process_id, server_ids(document))
    return ProcessImport(draft=draft, process_id=process_id, lacking=lacking, server_ids=recorded)


def _remember_origin(draft: Draft, process_id: str, ids: list[str | None]) -> int:
    """Record where ``draft`` came from and each node's Workiva id; return how many ids were recorded.

    The draft's nodes are created from the document node for node, so its walk (parents first,
    children in order) meets them in the order :func:`server_ids` listed the ids; when the counts
    differ (they cannot, short of a bug) no node id is recorded rather than a wrong one.
    """
    origin = WorkivaOrigin.objects.create(draft=draft, process_id=process_id)
    nodes = [node for node, _ in draft_tree(draft=draft).walk()]
    if len(nodes) != len(ids):
        return 0
    rows = [
        ImportedServerId(origin=origin, node_key=node.key, server_id=server_id)
        for node, server_id in zip(nodes, ids, strict=True)
        if server_id is not None
    ]
    ImportedServerId.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
