"""Writes to drafts as a whole: create (blank or from a Process document), settings, duplicate, delete."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from designer.errors import DraftConflict, TreeError
from designer.models import Activity, Draft, Node, Operation
from designer.selectors.trees import draft_tree
from designer.services.activity import activity_record
from designer.services.dates import CALENDAR_SETTINGS, recompute_rule_dates, rule_node_keys
from designer.services.locking import draft_attrs
from designer.services.nodes import group_new, subtree_copy
from designer.services.operations import operation
from processes_api import schema
from processes_api.payload import ParsedNode, PayloadError, parse_payload

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def draft_create(*, owner: User, name: str, root_name: str | None = None) -> Draft:
    """Create an empty draft with its root group."""
    draft = Draft(owner=owner)
    for f in schema.PROCESS_FIELDS:
        if f.default is not None:
            schema.field_store(draft, f, "process", f.default)
    draft.name = name.strip()
    draft.full_clean()
    draft.save()
    group_new(draft=draft, parent=None, name=root_name or draft.name or "Process").save()
    _created(draft, owner, "A blank draft.")
    return draft


@transaction.atomic
def draft_update(*, draft: Draft, version: int, changes: Mapping[str, Any], actor: User | None = None) -> Draft:
    """Change process settings; keys of ``changes`` are registry names (``schema.Field.name``).

    A new process name is also the root group's when the root was named like the process: see
    :func:`_root_follows`.
    """
    fields = {f.name: f for f in schema.PROCESS_FIELDS}
    unknown = set(changes) - set(fields)
    if unknown:
        raise TreeError(f"Cannot change {', '.join(sorted(unknown))} on a draft.")
    with operation(draft=draft, version=version, actor=actor, kind=Operation.Kind.SETTINGS) as op:
        locked = Draft.objects.get(pk=draft.pk)
        op.watch(settings=draft_attrs())
        root = Node.objects.filter(draft=draft, parent__isnull=True).values_list("key", flat=True).first()
        recomputes = any(name in CALENDAR_SETTINGS for name in changes)
        op.watch([*([root] if root else []), *(rule_node_keys(draft) if recomputes else [])])
        old_name = locked.name
        for name, value in changes.items():
            schema.field_store(locked, fields[name], "process", value)
        locked.full_clean(exclude=["owner"])
        locked.save()
        if recomputes:
            recompute_rule_dates(locked)  # part of this edit: one change, one undo step
        _root_follows(locked, old_name)
        labels = [str(fields[name].label) for name in changes]
        op.summary = (
            f"change of {', '.join(labels).lower() or 'the settings'}" if len(labels) < 4 else "settings change"
        )
    for name in (*draft_attrs(), "version", "updated"):
        setattr(draft, name, getattr(locked, name))
    return draft


@transaction.atomic
def draft_duplicate(*, draft: Draft, owner: User, name: str | None = None) -> Draft:
    """Copy a draft and its whole tree with new keys; the copy belongs to ``owner``."""
    tree = draft_tree(draft=draft)
    copy_ = Draft.objects.create(
        owner=owner,
        name=name or f"Copy of {draft.name}"[:500],
        **{attr: copy.deepcopy(getattr(draft, attr)) for attr in draft_attrs() if attr != "name"},
    )
    subtree_copy(tree, tree.root, draft=copy_, parent=None, position=0)
    _root_follows(copy_, draft.name)
    _created(copy_, owner, f"A copy of “{draft}”.")
    return copy_


def _root_follows(draft: Draft, old_name: str) -> None:
    """Rename the root group to the process name when it was named like the process (``old_name``).

    People see the process name and the root group's name as one name as long as they are equal
    (a new draft starts that way), so a rename of the process carries the root along. A root named
    on purpose otherwise (an imported "Root", say) is the user's content and is left as it is.
    """
    if draft.name and draft.name != old_name:
        Node.objects.filter(draft=draft, parent__isnull=True, name=old_name).update(name=draft.name)


@transaction.atomic
@transaction.atomic
def draft_delete(*, draft: Draft, version: int | None = None) -> None:
    """Delete ``draft``; with ``version``, only if the draft is still at it (checked under its row lock,
    so an edit racing the delete is not lost silently): else :class:`DraftConflict`."""
    if version is not None:
        current = Draft.objects.select_for_update().filter(pk=draft.pk).values_list("version", flat=True).first()
        if current is not None and current != version:
            raise DraftConflict(expected=version, actual=current)
    draft.delete()


@transaction.atomic
def draft_import(
    *,
    data: Any,
    owner: User,
    summary: str = "Imported from a Process document.",
    holiday_calendar: str = "",
    date_rules: list[dict[str, Any]] | None = None,
) -> Draft:
    """Create a draft from a Process document; nothing is created when it is malformed.

    ``summary`` is what the activity log says of the import (where the document came from).
    ``holiday_calendar`` (a validated code) and ``date_rules`` (each job's ``Node.date_rules``, the
    jobs in document order, as a checklist's WD/BD offsets give them) are what a Process document
    cannot say; the rule-based dates are computed again on the new draft's calendar.
    """
    fields, root = parse_payload(data)
    if date_rules is not None:
        _attach_rules(root, date_rules)
    draft = Draft(owner=owner, holiday_calendar=holiday_calendar, **fields)
    try:
        draft.full_clean(exclude=["owner"])
    except ValidationError as exc:  # the model's own limits, e.g. a due date longer than a date can be
        attr, problems = next(iter(exc.message_dict.items())) if hasattr(exc, "error_dict") else ("", exc.messages)
        keys = {f.attr: f.key for f in schema.PROCESS_FIELDS if f.attr}
        raise PayloadError(keys.get(attr, attr), " ".join(problems)) from None
    draft.save()
    level: list[tuple[ParsedNode, Node | None, int]] = [(root, None, 0)]
    while level:
        nodes = [
            Node(draft=draft, parent=parent, position=position, kind=parsed.kind, **parsed.fields)
            for parsed, parent, position in level
        ]
        created = Node.objects.bulk_create(nodes, batch_size=1000)
        level = [
            (child, node, index)
            for (parsed, _, _), node in zip(level, created, strict=True)
            for index, child in enumerate(parsed.children)
        ]
    if date_rules:
        recompute_rule_dates(draft)
    _created(draft, owner, summary)
    return draft


def _attach_rules(root: ParsedNode, date_rules: list[dict[str, Any]]) -> None:
    """Give each job of ``root`` (document order) its date rules; the counts must agree."""
    jobs: list[ParsedNode] = []
    stack = [root]
    while stack:
        parsed = stack.pop()
        if parsed.kind == "job":
            jobs.append(parsed)
        stack.extend(reversed(parsed.children))
    if len(jobs) != len(date_rules):
        raise PayloadError("", f"{len(date_rules)} sets of date rules for {len(jobs)} jobs")
    for parsed, rules in zip(jobs, date_rules, strict=True):
        if rules:
            parsed.fields["date_rules"] = dict(rules)


def _created(draft: Draft, actor: User, summary: str) -> None:
    """Log who created the draft's content: the first author of the change a review looks at."""
    activity_record(draft=draft, actor=actor, verb=Activity.Verb.CREATED, summary=summary)
