"""Starting a run of a published process (confirmed) and following it while the page is open."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from designer.permissions import Action, can, draft_for
from designer.views.http import Request
from processes_api.client import ApiError
from processes_api.runs import read_run
from publishing.models import ProcessRun
from publishing.services.runs import RunRefused, published_submission, run_refresh, run_start

PAGE = "publishing/run.html"


@login_required
@require_http_methods(["GET", "POST"])
def run_start_view(request: Request, draft_id: int) -> HttpResponse:
    """GET: what starting a run does, and a button to confirm; POST: start it and follow it."""
    draft = draft_for(request.user, draft_id, Action.PUBLISH)
    submission = published_submission(draft)
    if request.method == "GET":
        context = {"draft": draft, "submission": submission, "runs": draft.process_runs.select_related("started_by")}
        return render(request, "publishing/run_start.html", context)
    try:
        record, _ = run_start(draft=draft, user=request.user)
    except RunRefused as exc:
        messages.error(request, str(exc))
        return redirect("run-start", draft_id=draft.pk)
    messages.success(request, f"Started run {record.run_id} of process {record.submission.process_id}.")
    return redirect("run-detail", pk=record.pk)


def _run_of(request: Request, pk: int) -> ProcessRun:
    record = get_object_or_404(ProcessRun.objects.select_related("draft", "started_by", "submission"), pk=pk)
    draft_for(request.user, record.draft_id, Action.VIEW)
    return record


@login_required
@require_GET
def run_detail_view(request: Request, pk: int) -> HttpResponse:
    record = _run_of(request, pk)
    context = {
        "record": record,
        "run": read_run(record.document),
        "error": "",
        "can_start": can(request.user, record.draft, Action.PUBLISH),
    }
    return render(request, PAGE, context)


@login_required
@require_GET
def run_status_view(request: Request, pk: int) -> HttpResponse:
    """The run's tree as Workiva says it is now (the run page polls this while the run is not finished)."""
    record = _run_of(request, pk)
    error = ""
    try:
        run = run_refresh(record=record)
    except ApiError as exc:
        run, error = read_run(record.document), f"Could not read the run from Workiva: {exc.message}"
    return render(request, f"{PAGE}#run-status", {"record": record, "run": run, "error": error})
