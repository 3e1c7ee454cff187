"""What the directory says about the people and files a draft names: warnings beside lint's.

Once the directory holds users (or files), a user id it does not know or a file id it does not
know is a warning on its job and field: it does not block publishing (Workiva has the last word,
and a new hire may not be synced yet), but it shows on the row, in the inspector and in the
problems list. A suspended user is an error (the issue's rule: the job would go to nobody), which
blocks publishing like lint's errors. An empty directory checks nothing. Sections are fetched per document on
demand, so an unknown section id is not reported (a known one is named). Queries: at most one per
kind named (users, files, sections), whatever the size of the draft; none for the inspector, which
reads what its form already looked up (:func:`form_problems`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from directory import selectors
from processes_api import schema
from processes_api.lint import Problem
from processes_api.tree import ProcessNode, ProcessTree

if TYPE_CHECKING:
    from designer.diff import TreeDiff


def picked_id(arg: schema.ArgField, value: Any) -> str:
    """Return the id an argument of a picked kind holds (a principal's ``id``), or ""."""
    if arg.kind == "principal":
        value = value.get("id") if isinstance(value, dict) else None
    return value.strip() if isinstance(value, str) else ""


def _picks(nodes: Iterable[ProcessNode]) -> list[tuple[ProcessNode, schema.ArgField, str, str]]:
    """Return (node, argument, picker kind, id) for every non-empty picked argument of ``nodes``' jobs."""
    found = []
    for node in nodes:
        if node.is_group:
            continue
        jt = schema.job_type(node.job_type)
        args = node.arguments if isinstance(node.arguments, dict) else {}
        if jt is None:
            continue
        for arg in jt.fields:
            kind = schema.PICKED_KINDS.get(arg.kind)
            value = picked_id(arg, args.get(arg.name)) if kind else ""
            if kind and value:
                found.append((node, arg, kind, value))
    return found


def directory_problems(tree: ProcessTree) -> list[Problem]:
    """Return the directory's problems (warnings, and errors for suspended users) on every job of ``tree``."""
    picks = _picks(node for node, _ in tree.walk())
    sections = []
    for node, arg, kind, value in picks:
        if kind == "section" and arg.within:
            args = node.arguments if isinstance(node.arguments, dict) else {}
            jt = schema.job_type(node.job_type)
            within = jt.field_map.get(arg.within) if jt is not None else None
            document = picked_id(within, args.get(arg.within)) if within is not None else ""
            sections.append((node.key, arg, document, value))
    return [*_problems(picks), *section_problems(sections)]


def section_problems(sections: list[tuple[UUID, schema.ArgField, str, str]]) -> list[Problem]:
    """Return a warning for each ``(node key, section argument, document id, section id)`` whose
    document's sections the directory holds and which is not one of them (two or three queries)."""
    sections = [entry for entry in sections if entry[2] and entry[3]]
    if not sections:
        return []
    files = selectors.sections_of(document for _, _, document, _ in sections)
    strays = [
        (key, arg, document, value)
        for key, arg, document, value in sections
        if (found := files.get(document)) is not None and found.sections is not None and value not in found.sections
    ]
    elsewhere = selectors.sections_by_id(value for *_, value in strays) if strays else {}
    problems = []
    for key, arg, document, value in strays:
        name = files[document].name
        other = elsewhere.get(value)
        if other is not None:
            message = (
                f'{arg.label} "{other.label}" belongs to "{other.detail}", not to "{name}": '
                "choose a section of this document."
            )
            problems.append(Problem("warning", "directory-section-elsewhere", message, key, arg.name))
        else:
            message = f'{arg.label} "{value}" is not a section of "{name}" in the Workiva directory (unverified id).'
            problems.append(Problem("warning", "directory-unknown-section", message, key, arg.name))
    return problems


def _problems(picks: list[tuple[ProcessNode, schema.ArgField, str, str]]) -> list[Problem]:
    if not picks:
        return []
    ids: dict[str, set[str]] = {}
    for _, _, kind, value in picks:
        ids.setdefault(kind, set()).add(value)
    looked_up = {kind: selectors.lookup(kind, wanted) for kind, wanted in ids.items()}
    problems = []
    for node, arg, kind, value in picks:
        known, filled = looked_up[kind]
        problem = pick_problem(node.key, arg, kind, value, known.get(value), filled)
        if problem is not None:
            problems.append(problem)
    return problems


def pick_problem(
    node_key: UUID, arg: schema.ArgField, kind: str, value: str, found: selectors.Known | None, filled: bool
) -> Problem | None:
    """Return the problem for one picked id, given what the directory found and whether it is filled."""
    if found is not None and found.suspended:
        message = f"{arg.label} {found.label} is suspended in Workiva: the job would go to nobody."
        return Problem("error", "directory-suspended-user", message, node_key, arg.name)
    if found is None and filled and kind != "section":
        what = "a person" if kind == "user" else "a file"
        message = f'{arg.label} "{value}" is not {what} in the Workiva directory (unverified id).'
        return Problem("warning", f"directory-unknown-{kind}", message, node_key, arg.name)
    return None


def form_problems(form: Any, node_key: UUID) -> list[Problem]:
    """Return the warnings for a job form's pickers, from what ``designer.forms.describe_picks`` found."""
    problems = []
    job_type = getattr(form, "job_type", None)
    sections = []
    for arg in job_type.fields if job_type is not None else ():
        if arg.kind == "section" and arg.within in form.fields:
            document, value = (str(form[name].value() or "").strip() for name in (arg.within, arg.name))
            sections.append((node_key, arg, document, value))
        field = form.fields.get(arg.name)
        picked = getattr(field, "picked", None)
        if not picked or picked["state"] not in ("unknown", "suspended"):
            continue
        kind = schema.PICKED_KINDS[arg.kind]
        value = str(form[arg.name].value() or "")
        found = (
            selectors.Known(value, picked["label"], picked["detail"], True) if picked["state"] == "suspended" else None
        )
        problem = pick_problem(node_key, arg, kind, value, found, True)
        if problem is not None:
            problems.append(problem)
    return [*problems, *section_problems(sections)]


@dataclass(frozen=True, slots=True)
class PayloadNote:
    """One picked id of a payload, for the preview's side notes: which job and field, and who or what it is."""

    job: str
    field: str
    id: str
    name: str
    detail: str
    state: str  # known, suspended, unknown (the directory is filled and lacks it) or unchecked (it is empty)


def payload_notes(tree: ProcessTree) -> list[PayloadNote]:
    """Return a note for every picked id of ``tree``'s jobs, in outline order (a query per kind named)."""
    picks = _picks(node for node, _ in tree.walk())
    ids: dict[str, set[str]] = {}
    for _, _, kind, value in picks:
        ids.setdefault(kind, set()).add(value)
    looked_up = {kind: selectors.lookup(kind, wanted) for kind, wanted in ids.items()}
    notes = []
    for node, arg, kind, value in picks:
        known, filled = looked_up[kind]
        found = known.get(value)
        args = node.arguments if isinstance(node.arguments, dict) else {}
        title = args.get("title")
        jt = schema.job_type(node.job_type)
        job = title if isinstance(title, str) and title.strip() else (jt.label if jt else node.job_type)
        if found is None:
            state = "unknown" if filled else "unchecked"
            notes.append(PayloadNote(job, arg.label, value, "", "", state))
        else:
            state = "suspended" if found.suspended else "known"
            notes.append(PayloadNote(job, arg.label, value, found.label, found.detail, state))
    return notes


def assignee_names(nodes: Iterable[ProcessNode]) -> dict[str, str]:
    """Return the display names the directory knows for the assignees of ``nodes``' jobs (one query, none without any)."""
    ids = set()
    for node in nodes:
        args = node.arguments if not node.is_group and isinstance(node.arguments, dict) else {}
        value = args.get("assigneeUser") or args.get("assignee")
        value = value.get("id") if isinstance(value, dict) else value
        if isinstance(value, str) and value:
            ids.add(value)
    return {key: known.label for key, known in selectors.users_by_id(ids).items()}


def name_diff(diff: TreeDiff) -> TreeDiff:
    """Fill ``diff.names`` with the directory's names for the ids its changed job fields hold (a query per kind)."""
    ids: dict[str, set[str]] = {}
    for change in diff.changed:
        for f in change.fields:
            arg = _argument(f.field)
            kind = schema.PICKED_KINDS.get(arg.kind) if arg else None
            if arg is None or kind is None:
                continue
            for value in (f.before, f.after):
                if found := picked_id(arg, value):
                    ids.setdefault(kind, set()).add(found)
    lookups = {"user": selectors.users_by_id, "file": selectors.files_by_id, "section": selectors.sections_by_id}
    for kind, wanted in ids.items():
        diff.names.update({key: known.label for key, known in lookups[kind](wanted).items()})
    return diff


def _argument(name: str) -> schema.ArgField | None:
    if not name.startswith("arguments."):
        return None
    argument = name.removeprefix("arguments.")
    return next((jt.field_map[argument] for jt in schema.JOB_TYPES.values() if argument in jt.field_map), None)
