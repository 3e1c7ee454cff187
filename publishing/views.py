"""Publishing pages: the publish endpoint, its status partial, history, and the connection page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from designer.models import WorkivaOrigin
from designer.permissions import Action, can, draft_for, require
from designer.picks import directory_problems
from designer.selectors.trees import draft_tree
from designer.views.http import Request
from processes_api import platform, schema
from processes_api.client import ApiError, Client
from processes_api.lint import lint_tree
from publishing import selectors, tasks
from publishing.models import Submission
from publishing.services.sending import DecisionRefused, submission_claim, submission_recover, submission_resend
from publishing.services.submissions import PublishBlocked, draft_publish

STATUS = "publishing/publish.html#submission-status"


@login_required
@require_POST
def publish_view(request: Request, draft_id: int) -> HttpResponse:
    draft = draft_for(request.user, draft_id, Action.PUBLISH)
    try:
        submission = draft_publish(draft=draft, user=request.user).submission
    except PublishBlocked as exc:
        if not request.htmx:
            messages.error(request, str(exc))
            return redirect("publishing-history", draft_id=draft.pk)
        return render(request, STATUS, {"draft": draft, "blocked": exc})
    if not request.htmx:
        return redirect("publishing-history", draft_id=draft.pk)
    return render(request, STATUS, selectors.status_context(submission=submission, user=request.user))


@login_required
@require_GET
def submission_status_view(request: Request, pk: int) -> HttpResponse:
    submission = get_object_or_404(Submission.objects.select_related("draft", "user", "revision"), pk=pk)
    require(request.user, submission.draft, Action.VIEW)
    tasks.reconcile_if_due(submission)
    return render(request, STATUS, selectors.status_context(submission=submission, user=request.user))


@login_required
@require_POST
def submission_check_view(request: Request, pk: int) -> HttpResponse:
    submission = get_object_or_404(Submission.objects.select_related("draft"), pk=pk)
    require(request.user, submission.draft, Action.PUBLISH)
    next_step = submission_recover(submission=submission)
    if next_step == "send":
        tasks.send_submission.enqueue(submission.pk)
    elif next_step == "reconcile":
        tasks.reconcile_submission.enqueue(submission.pk)
    submission.refresh_from_db()
    return render(request, STATUS, selectors.status_context(submission=submission, user=request.user))


@login_required
@require_POST
def submission_resend_view(request: Request, pk: int) -> HttpResponse:
    """ "Send again": the person accepts that a duplicate process may result."""
    submission = get_object_or_404(Submission.objects.select_related("draft"), pk=pk)
    require(request.user, submission.draft, Action.PUBLISH)
    try:
        submission_resend(submission_id=pk, user=request.user, attempts_seen=_attempts(request))
    except DecisionRefused as exc:
        return _decided(request, submission, refused=str(exc))
    tasks.send_submission.enqueue(pk)
    return _decided(request, submission)


@login_required
@require_POST
def submission_claim_view(request: Request, pk: int) -> HttpResponse:
    """ "That one is mine": record a candidate process as this submission's."""
    submission = get_object_or_404(Submission.objects.select_related("draft"), pk=pk)
    require(request.user, submission.draft, Action.PUBLISH)
    try:
        submission_claim(
            submission_id=pk,
            user=request.user,
            process_id=request.POST.get("process_id", ""),
            attempts_seen=_attempts(request),
        )
    except DecisionRefused as exc:
        return _decided(request, submission, refused=str(exc))
    return _decided(request, submission)


def _attempts(request: Request) -> int:
    value = request.POST.get("attempts", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 6 else -1


def _decided(request: Request, submission: Submission, *, refused: str = "") -> HttpResponse:
    if not request.htmx:
        if refused:
            messages.error(request, refused)
        return redirect("publishing-history", draft_id=submission.draft_id)
    submission.refresh_from_db()
    context = selectors.status_context(submission=submission, user=request.user)
    return render(request, STATUS, {**context, "refused": refused})


@login_required
@require_GET
def history_view(request: Request, draft_id: int) -> HttpResponse:
    draft = draft_for(request.user, draft_id, Action.VIEW)
    tree = draft_tree(draft=draft)
    problems = [*lint_tree(tree), *directory_problems(tree)]
    context = {
        "draft": draft,
        "problems": problems,
        "pub": selectors.publish_state(draft=draft, problems=problems, user=request.user),
        "on_history": True,  # the publish area does not link to the page it is on
        "rows": selectors.submission_history(draft=draft),
        "can_publish": can(request.user, draft, Action.PUBLISH),
        "origin": WorkivaOrigin.objects.filter(draft=draft).annotate(node_ids=Count("server_ids")).first(),
        **selectors.connection_context(),
    }
    return render(request, "publishing/history.html", context)


@staff_member_required
@require_GET
def connection_view(request: Request) -> HttpResponse:
    return render(request, "publishing/connection.html", selectors.connection_context())


@staff_member_required
@require_POST
def connection_test_view(request: Request) -> HttpResponse:
    client = Client.from_settings(retry_budget=min(5.0, float(settings.WORKIVA_RETRY_BUDGET)))
    try:
        client.token(fresh=True)
        processes = list(client.list(page_size=1, limit=1))
    except ApiError as exc:
        result = {"ok": False, "message": exc.message}
    else:
        found = f"listed {len(processes)} process" + ("" if len(processes) == 1 else "es")
        result = {"ok": True, "message": f"Connected: fetched a token and {found}."}
        missing = platform.missing_scopes(client.granted_scopes, (*schema.REQUIRED_SCOPES, *platform.DIRECTORY_SCOPES))
        if missing:
            result = {
                "ok": False,
                "message": f"{result['message']} But the API grant lacks the scope{'s' if len(missing) > 1 else ''} "
                f"{', '.join(missing)}: add {'them' if len(missing) > 1 else 'it'} to the grant in Workiva "
                "(the directory needs organization:read to list people, file:read for documents).",
            }
    return render(request, "publishing/connection.html#connection-result", {"result": result})
