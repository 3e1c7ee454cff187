"""A local stand-in for the Workiva Processes API, mounted at ``/sandbox/`` when ``WORKIVA_SANDBOX`` is on.

It speaks what ``workiva-processes-api.md`` documents and nothing more: the OAuth token endpoint,
create / list / get / trash / validate, the ``X-Version`` header, bearer tokens, and the error body
``{"code", "message", "target", "documentationUrl", "meta", "details"}``.

It is single-tenant: it accepts one grant, the connection's own (its public development default
only with DEBUG on), and that grant sees every sandbox process; the process pages need a login.

Magic values, for tests and demos (also listed on the publishing pages):

- a user argument (``assigneeUser``, ``approverUser``, ``assignee.id``, ``approver.id``) equal to
  ``invalid-user`` → 400 ``invalidUser`` with ``target`` the JSON path of that argument; several of
  them → 400 ``invalidRequest`` whose ``details[]`` carry each target;
- a user argument equal to ``unverified-user`` → created, but ``POST /processes/{id}/validation``
  reports ``userNotVerified`` with ``meta.jobId`` the job's server id;
- faults, from the ``X-Sandbox-Fault`` header, the ``WORKIVA_SANDBOX_FAULT`` setting or a process
  name containing ``[sandbox:FAULT]``:
  ``429`` (Retry-After: 1), ``500``, ``503``, ``slow`` (sleeps ``WORKIVA_SANDBOX_SLOW_SECONDS``),
  ``drop`` (the connection is cut before anything is stored), ``drop-after`` (the process is
  stored, then the connection is cut). ``FAULTxN`` applies it to the first N such requests only.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import copy
import functools
import hashlib
import json
import re
import secrets
import socket
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from processes_api import platform, schema
from processes_api.payload import dumps
from processes_api.sandbox import directory
from processes_api.sandbox.models import SandboxProcess, SandboxRun
from processes_api.walk import body_path, walk

TOKEN_SALT = "processes_api.sandbox.token"
TOKEN_LIFETIME = schema.TOKEN_EXPIRES_IN_DEFAULT
DOCS_URL = "https://developers.workiva.com/2026-04-01.processes.preview/"
INVALID_USER = "invalid-user"
UNVERIFIED_USER = "unverified-user"
_FAULT = re.compile(r"\[sandbox:([a-z0-9-]+?)(?:x(\d+))?\]")
_FILTER = re.compile(r"^name contains '((?:[^']|'')*)'$")
# The development default of WORKIVA_CLIENT_SECRET (designer/settings.py): public, so DEBUG only.
PUBLIC_DEFAULT_SECRET = "sandbox-secret"
_NUMBER = re.compile(r"[0-9]{1,9}")
USER_FIELDS = ("assigneeUser", "approverUser")
PRINCIPAL_FIELDS = ("assignee", "approver")


def sandbox_endpoint(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark an API endpoint: CSRF-exempt (bearer-token API), and 404 unless ``WORKIVA_SANDBOX`` is on."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.WORKIVA_SANDBOX:
            raise Http404("The sandbox is off.")
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapped)


def _error(status: int, code: str, message: str, *, target: str | None = None, **extra: Any) -> JsonResponse:
    body: dict[str, Any] = {"code": code, "message": message, "target": target, "documentationUrl": DOCS_URL}
    body.update(extra)
    return JsonResponse(body, status=status)


def _oauth_error(status: int, error: str, description: str) -> JsonResponse:
    return JsonResponse({"error": error, "error_description": description, "error_uri": DOCS_URL}, status=status)


# --- token ----------------------------------------------------------------------------------------


@sandbox_endpoint
def token(request: HttpRequest) -> HttpResponse:
    """``POST /iam/v1/oauth2/token``: client credentials by Basic auth or form fields."""
    if request.method != "POST":
        return _oauth_error(400, "invalid_request", "Use POST.")
    if request.POST.get("grant_type") != schema.TOKEN_GRANT_TYPE:
        return _oauth_error(400, "invalid_request", "grant_type must be client_credentials.")
    client_id, client_secret = _basic_auth(request) or (
        request.POST.get("client_id", ""),
        request.POST.get("client_secret", ""),
    )
    # The sandbox accepts the connection's own credentials unless told otherwise (tests do).
    expected_id = getattr(settings, "WORKIVA_SANDBOX_CLIENT_ID", "") or settings.WORKIVA_CLIENT_ID
    expected_secret = getattr(settings, "WORKIVA_SANDBOX_CLIENT_SECRET", "") or settings.WORKIVA_CLIENT_SECRET
    if expected_secret == PUBLIC_DEFAULT_SECRET and not settings.DEBUG:
        # Single tenant: the one grant sees every sandbox process, so its published default may
        # open it only on a developer's machine.
        return _oauth_error(
            401,
            "unauthorized_client",
            "The sandbox's built-in default secret works only with DEBUG on; set WORKIVA_CLIENT_SECRET.",
        )
    if not (
        secrets.compare_digest(client_id.encode(), expected_id.encode())
        and secrets.compare_digest(client_secret.encode(), expected_secret.encode())
    ):
        return _oauth_error(401, "unauthorized_client", "Unknown client id or wrong secret.")
    scopes = _granted_scopes()
    access_token = signing.dumps({"client": client_id, "n": secrets.token_hex(8), "scope": scopes}, salt=TOKEN_SALT)
    return JsonResponse(
        {
            "access_token": access_token,
            "expires_in": TOKEN_LIFETIME,
            "scope": " ".join(scopes),
            "token_type": "Bearer",
        }
    )


def _granted_scopes() -> list[str]:
    """Return the scopes the sandbox grants: ``WORKIVA_SANDBOX_SCOPES`` (space-separated), else all it knows."""
    configured = getattr(settings, "WORKIVA_SANDBOX_SCOPES", None)
    if configured is not None:
        return str(configured).split()
    return [*schema.REQUIRED_SCOPES, platform.ORGANIZATION_SCOPE]


def _basic_auth(request: HttpRequest) -> tuple[str, str] | None:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:], validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, _, client_secret = decoded.partition(":")
    return client_id, client_secret


def _refuse(request: HttpRequest, *, version: str = schema.API_VERSION, scope: str = "") -> HttpResponse | None:
    """Return the answer to a request without a valid token, ``version`` header or ``scope``, else None."""
    header = request.headers.get("Authorization", "")
    try:
        grant = signing.loads(header.removeprefix("Bearer "), salt=TOKEN_SALT, max_age=TOKEN_LIFETIME)
    except signing.BadSignature:
        return JsonResponse(schema.UNAUTHORIZED_BODY, status=401)
    if request.headers.get(schema.VERSION_HEADER) != version:
        return _error(
            400,
            "invalidVersion",
            f"This endpoint of the sandbox speaks {schema.VERSION_HEADER}: {version}.",
            target=schema.VERSION_HEADER,
        )
    granted = grant.get("scope") if isinstance(grant, dict) else None
    if scope and isinstance(granted, list) and scope not in granted:
        return _error(403, "forbidden", f"The API grant lacks the {scope} scope.")
    return None


# --- faults ---------------------------------------------------------------------------------------


def _fault(request: HttpRequest, name: str = "") -> str | None:
    """Return the fault this request asks for (header or process name), counting ``xN`` limits."""
    spec = request.headers.get("X-Sandbox-Fault", "") or getattr(settings, "WORKIVA_SANDBOX_FAULT", "")
    match = _FAULT.search(f"[sandbox:{spec}]" if spec else name)
    if match is None:
        return None
    kind, limit = match.group(1), match.group(2)
    if limit is not None:
        ident = hashlib.sha256(f"{kind}:{limit}:{name}:{spec}".encode()).hexdigest()[:32]
        counter = f"sandbox-fault:{ident}"
        cache.add(counter, 0, timeout=3600)
        used = cache.incr(counter)
        if used > int(limit):
            return None
    return kind


def _apply_fault(request: HttpRequest, kind: str | None) -> HttpResponse | None:
    if kind == "429":
        response = _error(429, "tooManyRequests", "Rate limit of 1000 per 60 seconds exceeded. Retry in 1 second.")
        response["Retry-After"] = "1"
        return response
    if kind in ("500", "502", "503", "504"):
        return _error(int(kind), "serverError", f"Sandbox fault {kind} on request.")
    if kind == "slow":
        time.sleep(float(getattr(settings, "WORKIVA_SANDBOX_SLOW_SECONDS", 3)))
    if kind == "drop":
        return _drop(request)
    return None


def _drop(request: HttpRequest) -> HttpResponse:
    """Cut the client's connection without an answer (works on runserver, live_server and gunicorn)."""
    sock: Any = request.META.get("gunicorn.socket")
    stream: Any = request.META.get("wsgi.input")
    for _ in range(6):
        if sock is not None or stream is None:
            break
        if isinstance(stream, socket.socket):
            sock = stream
            break
        reader = getattr(stream, "_read", None)  # Django's LimitedStream keeps the bound read()
        stream = (
            getattr(reader, "__self__", None)
            or getattr(stream, "raw", None)  # BufferedReader → SocketIO
            or getattr(stream, "_sock", None)  # SocketIO → socket
        )
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        return HttpResponse(status=500)
    raise ConnectionAbortedError("sandbox: dropped connection on request")


# --- processes ------------------------------------------------------------------------------------


@sandbox_endpoint
def processes(request: HttpRequest) -> HttpResponse:
    """``POST /processes`` creates; ``GET /processes`` lists with ``$filter``, ``$maxpagesize``, ``$next``."""
    refused = _refuse(request)
    if refused is not None:
        return refused
    if request.method == "GET":
        return _list(request)
    if request.method != "POST":
        return _error(405, "methodNotAllowed", "Use GET or POST.")
    if len(request.body) > schema.MAX_BODY_BYTES:
        return _error(413, "requestTooLarge", "The request body is larger than 10 MB.")
    try:
        data = json.loads(request.body)
    except ValueError:
        return _error(400, "invalidRequest", "The body is not valid JSON.")
    name = data.get("name") if isinstance(data, dict) else None
    fault = _fault(request, name if isinstance(name, str) else "")
    if (faulted := _apply_fault(request, fault)) is not None:
        return faulted
    problems = _check_process(data)
    if problems:
        if len(problems) == 1:
            code, message, target, arg = problems[0]
            return _error(400, code, message, target=target, meta={"argumentName": arg} if arg else None)
        return _error(
            400,
            "invalidRequest",
            f"The process has {len(problems)} problems.",
            details=[{"code": c, "message": m, "target": t} for c, m, t, _ in problems],
        )
    document = _with_ids(data)
    SandboxProcess.objects.create(process_id=document["id"], name=document["name"], request=data, document=document)
    if fault == "drop-after":
        return _drop(request)
    return JsonResponse(_public(document), status=schema.CREATED_STATUS)


def _list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get(schema.LIST_FILTER_PARAM)
    rows = SandboxProcess.objects.filter(trashed=False)
    if query:
        match = _FILTER.match(query)
        if match is None:
            return _error(400, "invalidFilter", "Only name contains '…' is supported.", target=schema.LIST_FILTER_PARAM)
        rows = rows.filter(name__contains=match.group(1).replace("''", "'"))
    size_text = request.GET.get(schema.LIST_PAGE_SIZE_PARAM) or "100"
    start_text = request.GET.get(schema.LIST_NEXT_PARAM) or "0"
    if not _NUMBER.fullmatch(size_text) or not _NUMBER.fullmatch(start_text):
        return _error(400, "invalidRequest", "$maxpagesize and $next must be whole numbers from 0.")
    size, start = int(size_text), int(start_text)
    if not 1 <= size <= schema.MAX_PAGE_SIZE:
        return _error(400, "invalidRequest", "$maxpagesize must be 1–1000.", target=schema.LIST_PAGE_SIZE_PARAM)
    page = list(rows.order_by("id")[start : start + size + 1])
    body: dict[str, Any] = {"data": [_summary(p.document) for p in page[:size]]}
    if len(page) > size:
        params = request.GET.copy()
        params[schema.LIST_NEXT_PARAM] = str(start + size)
        body[schema.LIST_NEXT_LINK] = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    return JsonResponse(body)


@sandbox_endpoint
def process(request: HttpRequest, process_id: str) -> HttpResponse:
    """``GET /processes/{id}`` or ``DELETE /processes/{id}`` (moves it to the trash)."""
    refused = _refuse(request)
    if refused is not None:
        return refused
    row = SandboxProcess.objects.filter(process_id=process_id, trashed=False).first()
    if row is None:
        return _error(404, "notFound", f"There is no process {process_id}.", target="processId")
    if request.method == "DELETE":
        row.trashed = True
        row.save(update_fields=["trashed"])
        return HttpResponse(status=schema.TRASHED_STATUS)
    if request.method != "GET":
        return _error(405, "methodNotAllowed", "Use GET or DELETE.")
    return JsonResponse(_public(row.document))


@sandbox_endpoint
def validation(request: HttpRequest, process_id: str) -> HttpResponse:
    """``POST /processes/{id}/validation``: ``{"errors": [...]}``, empty when valid."""
    refused = _refuse(request)
    if refused is not None:
        return refused
    if request.method != "POST":
        return _error(405, "methodNotAllowed", "Use POST.")
    row = SandboxProcess.objects.filter(process_id=process_id, trashed=False).first()
    if row is None:
        return _error(404, "notFound", f"There is no process {process_id}.", target="processId")
    errors = []
    for job_id, _args_key, field, value in _user_arguments(row.document):
        if value == UNVERIFIED_USER:
            errors.append(
                {
                    "code": "userNotVerified",
                    "message": "The user has not verified their account yet.",
                    "target": field,
                    "meta": {"argumentName": field, "jobId": job_id},
                    "details": None,
                }
            )
    return JsonResponse({"errors": errors})


# --- documents ------------------------------------------------------------------------------------


def _check_process(data: Any) -> list[tuple[str, str, str | None, str | None]]:
    """Return (code, message, target, argumentName) for each problem in a create body."""
    if not isinstance(data, dict):
        return [("invalidRequest", "A process must be a JSON object.", None, None)]
    problems: list[tuple[str, str, str | None, str | None]] = []
    if not isinstance(data.get("name"), str) or not data["name"].strip():
        problems.append(("invalidRequest", "name is required.", "name", None))
    for key in schema.READ_ONLY_PROCESS_FIELDS:
        if key in data:
            problems.append(("invalidRequest", f"{key} is read-only.", key, None))
    if not isinstance(data.get("root"), dict):
        problems.append(("invalidRequest", "root is required.", "root", None))
    else:
        _check_tree(data["root"], problems)
    return problems


def _check_tree(root: dict[str, Any], problems: list[tuple[str, str, str | None, str | None]]) -> None:
    for node, path, _, kind, wrapper, _, _ in walk(root):
        if wrapper is not None and (kind not in schema.CHILD_TYPES or not isinstance(node, dict)):
            message = 'A child needs type "job" or "group" and that object.'
            problems.append(("invalidRequest", message, path, None))
        elif kind == "job":
            _check_job(node, body_path(path, "job"), problems)
        elif not isinstance(node.get("children", []), list):
            target = f"{body_path(path, 'group')}.children"
            problems.append(("invalidRequest", "children must be a list.", target, None))


def _check_job(job: dict[str, Any], path: str, problems: list[tuple[str, str, str | None, str | None]]) -> None:
    args = job.get("arguments")
    jt = schema.job_type(str(args.get("type"))) if isinstance(args, dict) else None
    if not isinstance(args, dict) or jt is None or jt.generated:
        problems.append(("invalidJobType", "Unknown or read-only job type.", f"{path}.arguments.type", None))
        return
    values = args.get(jt.args_key)
    if not isinstance(values, dict):
        problems.append(("invalidRequest", f"{jt.args_key} is required.", f"{path}.arguments.{jt.args_key}", None))
        return
    for key in args:
        if key.endswith("Args") and key != jt.args_key:
            problems.append(
                ("invalidRequest", f"{key} does not match type {jt.name}.", f"{path}.arguments.{key}", None)
            )
    for field in USER_FIELDS + PRINCIPAL_FIELDS:
        value = values.get(field)
        user = value.get("id") if isinstance(value, dict) else value
        if user == INVALID_USER:
            problems.append(
                ("invalidUser", "The provided user is invalid.", f"{path}.arguments.{jt.args_key}.{field}", field)
            )


def _user_arguments(document: dict[str, Any]) -> list[tuple[str, str, str, Any]]:
    """Return (job id, args key, field, user id) for every user argument in a stored process."""
    found: list[tuple[str, str, str, Any]] = []
    for job, _, _, kind, *_ in walk(document.get("root")):
        if kind != "job":
            continue
        args = job["_arguments"]
        jt = schema.job_type(args.get("type"))
        values = args.get(jt.args_key, {}) if jt else {}
        for field in USER_FIELDS + PRINCIPAL_FIELDS:
            value = values.get(field)
            found.append(
                (job["id"], jt.args_key if jt else "", field, value.get("id") if isinstance(value, dict) else value)
            )
    return found


def _new_id(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(6)}"


def _with_ids(data: dict[str, Any]) -> dict[str, Any]:
    """Return the stored document: the request with ids, a revision and timestamps."""
    document = copy.deepcopy(data)
    stamp = {"dateTime": timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ"), "user": {"id": "sandbox-user"}}
    document.update(id=_new_id("process"), revision=1, created=stamp, modified=stamp)

    for node, _, parent, kind, *_ in walk(document["root"]):
        if kind == "group":
            node["id"] = _new_id("root-group" if parent is None else "group")
        else:
            node["id"] = _new_id("job")
            # Kept for validation; the public answer echoes only the type, as the seed shows.
            node["_arguments"] = node.pop("arguments")
    return document


def _public(document: dict[str, Any]) -> dict[str, Any]:
    """Return the document as the API answers it: job arguments reduced to their type."""
    out = copy.deepcopy(document)

    for job, _, _, kind, *_ in walk(out["root"]):
        if kind == "job":
            job["arguments"] = {"type": job.pop("_arguments").get("type")}
    return out


def _summary(document: dict[str, Any]) -> dict[str, Any]:
    return {k: document[k] for k in ("id", "name", "revision", "created", "modified", "dueDate") if k in document}


@sandbox_endpoint
@login_required
def process_page(request: HttpRequest, process_id: str) -> HttpResponse:
    """A human-readable page for a sandbox process (the link the publish result shows), for signed-in users."""
    row = get_object_or_404(SandboxProcess, process_id=process_id)
    return render(request, "sandbox/process.html", {"row": row, "document": dumps(_public(row.document))})


# --- the platform API (users, files, sections) ----------------------------------------------------

_KIND_FILTER = re.compile(r"^kind eq '([A-Za-z]+)'$")


def _platform(request: HttpRequest, scope: str) -> HttpResponse | None:
    """Refuse what the platform endpoints refuse (token, version, scope, method), apply faults."""
    refused = _refuse(request, version=platform.PLATFORM_VERSION, scope=scope)
    if refused is not None:
        return refused
    if request.method != "GET":
        return _error(405, "methodNotAllowed", "Use GET.")
    return _apply_fault(request, _fault(request))


def _paged(request: HttpRequest, items: list[Any] | tuple[Any, ...]) -> HttpResponse:
    """Answer one page of ``items`` (``$maxpagesize`` default 100, ``$next`` an offset) with ``@nextLink``."""
    size_text = request.GET.get(schema.LIST_PAGE_SIZE_PARAM) or "100"
    start_text = request.GET.get(schema.LIST_NEXT_PARAM) or "0"
    if not _NUMBER.fullmatch(size_text) or not _NUMBER.fullmatch(start_text):
        return _error(400, "invalidRequest", "$maxpagesize and $next must be whole numbers from 0.")
    size, start = int(size_text), int(start_text)
    if not 1 <= size <= schema.MAX_PAGE_SIZE:
        return _error(400, "invalidRequest", "$maxpagesize must be 1–1000.", target=schema.LIST_PAGE_SIZE_PARAM)
    body: dict[str, Any] = {"data": list(items[start : start + size])}
    if start + size < len(items):
        params = request.GET.copy()
        params[schema.LIST_NEXT_PARAM] = str(start + size)
        body[schema.LIST_NEXT_LINK] = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    return JsonResponse(body)


@sandbox_endpoint
def users(request: HttpRequest, organization_id: str) -> HttpResponse:
    """``GET /organizations/{id}/users``: the seeded users, active and suspended (scope organization:read)."""
    if (refused := _platform(request, platform.ORGANIZATION_SCOPE)) is not None:
        return refused
    if organization_id != directory.ORGANIZATION_ID:
        return _error(404, "notFound", f"There is no organization {organization_id}.", target="organizationId")
    return _paged(request, directory.users())


@sandbox_endpoint
def files(request: HttpRequest) -> HttpResponse:
    """``GET /files`` with ``$filter`` terms ``kind eq '…'`` and ``name contains '…'`` joined by ``and``."""
    if (refused := _platform(request, platform.FILE_READ_SCOPE)) is not None:
        return refused
    items = list(directory.files())
    query = request.GET.get(schema.LIST_FILTER_PARAM, "")
    for term in (t.strip() for t in query.split(" and ") if t.strip()):
        kind, name = _KIND_FILTER.match(term), _FILTER.match(term)
        if kind:
            items = [f for f in items if f["kind"] == kind.group(1)]
        elif name:
            needle = name.group(1).replace("''", "'").lower()
            items = [f for f in items if needle in f["name"].lower()]
        else:
            message = "Only kind eq '…' and name contains '…' are supported here."
            return _error(400, "invalidFilter", message, target=schema.LIST_FILTER_PARAM)
    return _paged(request, items)


@sandbox_endpoint
def sections(request: HttpRequest, file_id: str) -> HttpResponse:
    """``GET /documents/{id}/sections``."""
    return _sections(request, file_id, platform.DOCUMENT)


@sandbox_endpoint
def sheets(request: HttpRequest, file_id: str) -> HttpResponse:
    """``GET /spreadsheets/{id}/sheets``."""
    return _sections(request, file_id, platform.SPREADSHEET)


def _sections(request: HttpRequest, file_id: str, kind: str) -> HttpResponse:
    if (refused := _platform(request, platform.FILE_READ_SCOPE)) is not None:
        return refused
    if directory.file(file_id, kind) is None:
        return _error(404, "notFound", f"There is no {kind.lower()} {file_id}.", target="id")
    return _paged(request, directory.sections(file_id, kind))


# --- runs -----------------------------------------------------------------------------------------


@sandbox_endpoint
def process_run_start(request: HttpRequest, process_id: str) -> HttpResponse:
    """``POST /processes/{id}/run``: 201 + the new ProcessRun, every job waiting or just sent."""
    refused = _refuse(request)
    if refused is not None:
        return refused
    if request.method != "POST":
        return _error(405, "methodNotAllowed", "Use POST.")
    row = SandboxProcess.objects.filter(process_id=process_id, trashed=False).first()
    if row is None:
        return _error(404, "notFound", f"There is no process {process_id}.", target="processId")
    if (faulted := _apply_fault(request, _fault(request, row.name))) is not None:
        return faulted
    run = SandboxRun.objects.create(run_id=_new_id("run"), process=row)
    return JsonResponse(run_document(run), status=schema.CREATED_STATUS)


@sandbox_endpoint
def process_run(request: HttpRequest, run_id: str) -> HttpResponse:
    """``GET /processRuns/{id}``: the run, its statuses advanced by the time since it started."""
    refused = _refuse(request)
    if refused is not None:
        return refused
    if request.method != "GET":
        return _error(405, "methodNotAllowed", "Use GET.")
    run = SandboxRun.objects.select_related("process").filter(run_id=run_id).first()
    if run is None:
        return _error(404, "notFound", f"There is no process run {run_id}.", target="processRunId")
    return JsonResponse(run_document(run))


def run_document(run: SandboxRun, *, now: float | None = None) -> dict[str, Any]:
    """Return the ProcessRun as the sandbox answers it.

    Each job takes ``WORKIVA_SANDBOX_RUN_STEP`` seconds (default 4) once its turn comes (sent), one
    more with an approver (approval), then it is complete; a sequential group runs its children one
    after another, a parallel one all at once. The shape is the sandbox's reading of the docs
    (``processes_api/runs.py``), not a published schema.
    """
    step = float(getattr(settings, "WORKIVA_SANDBOX_RUN_STEP", 4))
    elapsed = (now if now is not None else time.time()) - run.started.timestamp()
    counts: dict[str, int] = {}

    def job_run(job: dict[str, Any], start: float) -> tuple[dict[str, Any], float]:
        args = job.get("_arguments") or {}
        jt = schema.job_type(str(args.get("type")))
        values = args.get(jt.args_key, {}) if jt else {}
        approver = bool(values.get("approverUser") or values.get("approver"))
        end = start + step * (2 if approver else 1)
        if elapsed < start:
            status = "waiting"
        elif elapsed >= end:
            status = "complete"
        else:
            status = "approval" if approver and elapsed >= start + step else "sent"
        counts[status] = counts.get(status, 0) + 1
        name = values.get("title") if isinstance(values, dict) else None
        return {"id": f"jobrun-{job['id']}", "jobId": job["id"], "name": name or job["id"], "status": status}, end

    def group_run(group: dict[str, Any], start: float) -> tuple[dict[str, Any], float]:
        children, end = [], start
        for wrapper in group.get("children") or []:
            child_start = start if group.get("parallel") else end
            if wrapper.get("type") == "group":
                body, child_end = group_run(wrapper["group"], child_start)
                children.append({"type": "groupRun", "groupRun": body})
            else:
                body, child_end = job_run(wrapper["job"], child_start)
                children.append({"type": "jobRun", "jobRun": body})
            end = max(end, child_end)
        status = "complete" if elapsed >= end else ("waiting" if elapsed < start else "sent")
        body = {
            "id": f"grouprun-{group['id']}",
            "groupId": group["id"],
            "name": group.get("name", ""),
            "status": status,
        }
        return body | {"parallel": bool(group.get("parallel")), "children": children}, end

    root, _ = group_run(run.process.document["root"], 0.0)
    return {
        "id": run.run_id,
        "processId": run.process.process_id,
        "status": root["status"],
        "revision": int(max(elapsed, 0) // step) + 1,
        "eligibleToStart": False,
        "statusCounts": counts,
        "root": root,
    }
