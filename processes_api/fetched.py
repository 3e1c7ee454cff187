"""A process as ``GET /processes/{id}`` answers it, made importable as a draft.

The answer carries the structure, the settings and an id on every node [doc], but whether it
carries the job arguments is unconfirmed: the create response's example echoes only
``{"type": …}`` [seed], and so does the sandbox. An import keeps every field that comes back
(unknown ones included, as any import does); a job whose arguments object is missing gets an empty
one, and its path is listed so the designer can say which jobs need their details filled in (lint
then reports each required field). Server ids are dropped from the draft's content like any
read-only field; :func:`server_ids` lists them in the walk's order so the importer can record them.
"""

from __future__ import annotations

import copy
from typing import Any

from processes_api import schema
from processes_api.walk import walk


def importable(document: Any) -> tuple[Any, list[str]]:
    """Return a copy of ``document`` whose jobs all have their arguments object, and the paths of
    the jobs that lacked it. A malformed document is returned as it is (the import reports it)."""
    if not isinstance(document, dict) or not isinstance(document.get("root"), dict):
        return document, []
    document = copy.deepcopy(document)
    lacking: list[str] = []
    for node, path, _, kind, _, _, _ in walk(document["root"]):
        if kind != "job" or not isinstance(node, dict):
            continue
        args = node.get("arguments")
        if not isinstance(args, dict):
            continue
        jt = schema.job_type(str(args.get("type")))
        if jt is not None and not jt.generated and not isinstance(args.get(jt.args_key), dict):
            args[jt.args_key] = {}
            lacking.append(path)
    return document, lacking


def server_ids(document: Any) -> list[str | None]:
    """Return the ``id`` of every group and job of ``document`` in :func:`~processes_api.walk.walk`
    order (parents first, children in order), None where a node has none or it is not a string."""
    if not isinstance(document, dict) or not isinstance(document.get("root"), dict):
        return []
    found: list[str | None] = []
    for node, *_ in walk(document["root"]):
        value = node.get("id") if isinstance(node, dict) else None
        found.append(value if isinstance(value, str) and value else None)
    return found
