"""The catch-up an editor asks for when the draft moved on: the outline patch of the changes since its
version (the same patch an edit answers with), or the whole workspace when it is too far behind."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET
from django_htmx.http import reswap

from designer.models import Draft, Node
from designer.outline import RowRenderer, outline_patch
from designer.permissions import Action, can, draft_for
from designer.selectors.comments import comment_counts
from designer.selectors.operations import Changes, changes_since
from designer.views.http import Request, whole_number
from designer.views.workspace import PAGE, inspector_context, selected_of, workspace_context
from live.changes import patch_parts


@login_required
@require_GET
def changes_view(request: Request, pk: int) -> HttpResponse:
    """Answer ``?since=<version>`` with what changed since (``node``: the user's selected node;
    ``inspector=1``: the user is not typing in it, so it may be refreshed if that node changed)."""
    draft = draft_for(request.user, pk, Action.VIEW)
    since = whole_number(request.GET.get("since"))
    if since is not None and since == draft.version:
        return reswap(HttpResponse(status=204), "none")
    changes = changes_since(draft, since) if since is not None and since < draft.version else None
    if changes is None or len(changes.touched) + len(changes.removed) > settings.LIVE_MAX_PATCH_NODES:
        return whole_workspace(request, draft)
    return patch(request, draft, changes)


def whole_workspace(request: Request, draft: Draft) -> HttpResponse:
    context = workspace_context(request, draft, selected=selected_of(request)) | {"retitle": True}
    return reswap(render(request, f"{PAGE}#workspace", context), "outerHTML")


def patch(request: Request, draft: Draft, changes: Changes) -> HttpResponse:
    selected = selected_of(request)
    draft.version = changes.version  # the patch is exactly the changes up to this version
    place, groups, removed = patch_parts(draft, changes)
    gone = selected in removed
    can_edit = can(request.user, draft, Action.EDIT)
    record = outline_patch(
        draft,
        place=place,
        groups=groups,
        removed=removed,
        selected=None if gone else selected,
        all_badges=bool(changes.settings),  # a new process due date can change any job's badges
        can_edit=can_edit,
        comments_url=reverse("review-page", args=[draft.pk]),
    )
    touched = {n.key for n in (*place, *groups)} | set(removed)
    # The inspector shows the selected node afresh when it changed, unless the user is typing in it;
    # always when it was deleted.
    inspector = gone or (request.GET.get("inspector") == "1" and selected is not None and selected in touched)
    context: dict[str, Any] = {"draft": draft, "patch": record, "oob": True, "can_edit": can_edit}
    context |= {"inspector": inspector, "flash": False}
    if inspector:
        node = None if gone or selected is None else Node.objects.filter(draft=draft, key=selected).first()
        context |= inspector_context(draft, node)
    return reswap(render(request, f"{PAGE}#patch", context), "none")


@login_required
@require_GET
def comments_view(request: Request, pk: int) -> HttpResponse:
    """Answer every row's open-comment marker, for the editors' rows after a comment was made,
    resolved or reopened elsewhere: ``<template>`` holding one ``div[data-for="<key>"]`` per node
    with open threads, holding the marker exactly as a row renders it. Rows not listed have none."""
    draft = draft_for(request.user, pk, Action.VIEW)
    counts = comment_counts(draft)
    rows = RowRenderer(
        (), selected=None, can_edit=False, comments=counts, comments_url=reverse("review-page", args=[pk])
    )
    markers = (
        (key, mark_safe(rows.comment_marker(key, str(key))))  # noqa: S308 - built from escaped parts (RowRenderer)
        for key in sorted((k for k, n in counts.items() if k is not None and n), key=str)
    )
    body = format_html("<template>{}</template>", format_html_join("", '<div data-for="{}">{}</div>', markers))
    return HttpResponse(body, content_type="text/html; charset=utf-8")
