"""Importing an existing Workiva process (``GET /processes/{id}``) into a new draft."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User

from designer.models import Draft
from designer.services.drafts import draft_import
from processes_api.client import Client
from processes_api.fetched import importable


@dataclass(frozen=True, slots=True)
class ProcessImport:
    draft: Draft
    process_id: str
    lacking: list[str]  # paths of the jobs that came without their arguments


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
    draft = draft_import(data=data, owner=owner, summary=summary[:500])
    return ProcessImport(draft=draft, process_id=process_id, lacking=lacking)
