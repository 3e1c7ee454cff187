"""The one place that states what the Workiva Processes API accepts.

Every fact here comes from ``shared/docs/workiva-processes-api.md`` and carries its certainty:
``seed`` (the Create a Process page), ``doc`` (a schema table), ``example`` (only seen in an
example), ``inferred`` (our reading). Process and group fields (``PROCESS_FIELDS``,
``GROUP_FIELDS``), job types and their argument fields are data: the editor's forms, the payload
translation both ways, lint, the review diff's labels and values, the copy routines and revision
restore all read this registry, so a field or a job type is added here and nowhere else.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

API_VERSION = "2026-04-01.processes.preview"
DEFAULT_API_URL = "https://api.app.wdesk.com"
DEFAULT_TOKEN_URL = "https://api.app.wdesk.com/iam/v1/oauth2/token"
REQUIRED_SCOPES = ("file:read", "file:write")

# Limits [doc, GA limits page].
MAX_JOBS = 3000
MAX_BODY_BYTES = 10 * 1000 * 1000  # "10 MB"; the decimal reading is the stricter one.
MAX_REQUEST_SECONDS = 29
MAX_PAGE_SIZE = 1000
# Our own limit, not an API fact: how deep a tree may nest (the root group is depth 0, its
# children depth 1). Far above any real process, far below Python's recursion limit, so every
# page, import, diff and publish of a draft stays in bounds.
MAX_DEPTH = 100

Certainty = Literal["seed", "doc", "example", "inferred"]
FieldKind = Literal["string", "text", "date", "user", "principal", "file", "section", "bool", "weekdays"]
# The kinds whose value names something in the organization, and what the editor picks it from:
# a user id (``user``: the id itself; ``principal``: ``{"id", "type": "user"}``), a file id, or a
# section id of the file in the job's ``file`` field (``ArgField.within``).
PICKED_KINDS: dict[str, str] = {"user": "user", "principal": "user", "file": "file", "section": "section"}

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DEFAULT_BUSINESS_DAYS = WEEKDAYS[:5]
# Only "whenEligible" has been seen; the API may know more, so it stays a free string.
KNOWN_TRIGGER_TYPES = ("whenEligible",)
DEFAULT_TRIGGER_TYPE = "whenEligible"
PRINCIPAL_TYPES = ("user",)

CHILD_TYPES = ("job", "group")
# Fields the server adds to responses; a client never sends them.
READ_ONLY_PROCESS_FIELDS = ("id", "revision", "created", "modified")
READ_ONLY_NODE_FIELDS = ("id",)


@dataclass(frozen=True, slots=True)
class ArgField:
    """One argument of a job type."""

    name: str
    label: str
    kind: FieldKind
    certainty: Certainty
    required: bool = False
    help: str = ""
    # For a ``section``: the argument naming the file its sections come from.
    within: str = ""
    # For a ``file``: the file kinds it takes (``platform.FILE_KINDS`` values); empty: any.
    file_kinds: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class JobType:
    """A job type: its ``type`` value, the key of its arguments object and their fields."""

    name: str
    label: str
    args_key: str
    certainty: Certainty
    fields: tuple[ArgField, ...] = ()
    generated: bool = False
    note: str = ""
    field_map: dict[str, ArgField] = field(init=False, repr=False, compare=False)
    required_fields: tuple[ArgField, ...] = field(init=False, repr=False, compare=False)
    date_fields: tuple[ArgField, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "field_map", {f.name: f for f in self.fields})
        object.__setattr__(self, "required_fields", tuple(f for f in self.fields if f.required))
        object.__setattr__(self, "date_fields", tuple(f for f in self.fields if f.kind == "date"))

    @property
    def title_field(self) -> str:
        return "title"

    def fields_of_kind(self, *kinds: FieldKind) -> list[ArgField]:
        return [f for f in self.fields if f.kind in kinds]


USER_HINT = "Type a name, e-mail or Workiva user id."
FILE_HINT = "Type a file name or a Workiva file id."

JOB_TYPES: dict[str, JobType] = {
    jt.name: jt
    for jt in (
        JobType(
            name="sendTask",
            label="Send a task",
            args_key="sendTaskArgs",
            certainty="seed",
            fields=(
                ArgField("title", "Title", "string", "seed", required=True),
                ArgField("instructions", "Instructions", "text", "seed"),
                ArgField("assigneeUser", "Assignee", "user", "seed", required=True, help=USER_HINT),
                ArgField("dueDate", "Due date", "date", "seed"),
                ArgField("approverUser", "Approver", "user", "seed", help=USER_HINT),
                ArgField("approverDueDate", "Approver due date", "date", "seed"),
                ArgField("document", "Document", "file", "example", help=FILE_HINT),
            ),
        ),
        JobType(
            name="contentRequest",
            label="Request content",
            args_key="contentRequestArgs",
            certainty="example",
            fields=(
                ArgField("title", "Title", "string", "example", required=True),
                ArgField("instructions", "Instructions", "text", "example"),
                ArgField("assignee", "Assignee", "principal", "example", required=True, help=USER_HINT),
                ArgField(
                    "document", "Document", "file", "example", required=True, help=FILE_HINT, file_kinds=("Document",)
                ),
                ArgField(
                    "section",
                    "Section",
                    "section",
                    "example",
                    required=True,
                    help="A section of the document.",
                    within="document",
                ),
                ArgField("approver", "Approver", "principal", "example", help=USER_HINT),
            ),
            note="Argument names are taken from a published example, not a schema table.",
        ),
        JobType(
            name="certification",
            label="Certify",
            args_key="certificationArgs",
            certainty="inferred",
            fields=(
                ArgField("title", "Title", "string", "inferred", required=True),
                ArgField(
                    "letter", "Letter", "file", "inferred", required=True, help="The certification letter's file id."
                ),
                ArgField("dueDate", "Due date", "date", "inferred"),
            ),
            note=(
                "Workiva has not published the certification arguments; these names follow the "
                "product's form and may be rejected."
            ),
        ),
        *(
            JobType(
                name=name,
                label=label,
                args_key=f"{name}Args",
                certainty="doc",
                generated=True,
                note="Created by Workiva under a certification job; never sent by a client.",
            )
            for name, label in (
                ("certificationApproverGenerated", "Certification approver (generated)"),
                ("certificationSignerGenerated", "Certification signer (generated)"),
                ("certificationConditionalApproverGenerated", "Conditional approver (generated)"),
                ("certificationPhaseFinalizerGenerated", "Phase finalizer (generated)"),
            )
        ),
    )
}

EDITABLE_JOB_TYPES: tuple[JobType, ...] = tuple(jt for jt in JOB_TYPES.values() if not jt.generated)

# How a group's children run, off and on: the one wording of ``parallel`` for people.
PARALLEL_MODES = ("one after another", "all at the same time")


def parallel_mode(parallel: bool | None) -> str:
    """Return how a group's children run, in the editor's words ("one after another" when unset)."""
    return PARALLEL_MODES[bool(parallel)]


@dataclass(frozen=True, slots=True)
class Field:
    """A process or group field: its API key, where a draft keeps it, how it is edited and shown.

    ``attr`` names the model attribute that stores the value; None keeps it with the unknown
    fields instead (``extra`` of a process, ``extra["node"]`` of a group), typed and labelled like
    any other, which lets a new API field be added here without a database migration. ``kind`` is
    both the JSON type the payload checks and the widget the editor shows. ``required`` fields must
    be filled in the editor and are reported by lint when empty; an import refuses a process
    without its required fields. ``default`` is the value a new group or draft starts with;
    ``known`` lists the values Workiva is known to accept, when others may exist (lint warns).
    """

    key: str
    label: str
    kind: FieldKind
    certainty: Certainty
    attr: str | None = None
    required: bool = False
    help: str = ""
    max_length: int = 500
    default: Any = None
    known: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """Return the name the editor's form and the services use: the attribute, else the key."""
        return self.attr or self.key


# The process settings, in the order the editor shows them. Code reads these tuples through the
# module (``schema.PROCESS_FIELDS``) at call time, never copied, so that one added here (or in a
# test) reaches forms, payload, lint, diff, copies and restore.
PROCESS_FIELDS: tuple[Field, ...] = (
    Field("name", "Name", "string", "seed", attr="name", required=True),
    Field("dueDate", "Due date", "date", "seed", attr="due_date"),
    Field("businessStartDate", "Business start date", "date", "seed", attr="business_start_date"),
    Field(
        "businessDaysOfWeek",
        "Business days",
        "weekdays",
        "seed",
        attr="business_days",
        help=(
            "A new draft starts Monday–Friday. Dates are counted on the checked days only; with no day "
            "checked the process has no business day, which lint refuses."
        ),
        default=DEFAULT_BUSINESS_DAYS,
    ),
    Field("relativeDates", "Relative dates", "bool", "seed", attr="relative_dates"),
    Field("autoClose", "Close automatically", "bool", "seed", attr="auto_close"),
    Field("certAutoApprove", "Approve certifications automatically", "bool", "seed", attr="cert_auto_approve"),
)
GROUP_FIELDS: tuple[Field, ...] = (
    Field("name", "Name", "string", "seed", attr="name", required=True, default="New group"),
    Field(
        "parallel",
        PARALLEL_MODES[1].capitalize(),
        "bool",
        "seed",
        attr="parallel",
        help=f"Off: the children run {PARALLEL_MODES[0]}, in order.",
        default=False,
    ),
    Field("readOnly", "Read only", "bool", "seed", attr="read_only", default=False),
    Field(
        "triggerType",
        "Trigger",
        "string",
        "seed",
        attr="trigger_type",
        help=f"Known: {', '.join(KNOWN_TRIGGER_TYPES)}.",
        max_length=100,
        default=DEFAULT_TRIGGER_TYPE,
        known=KNOWN_TRIGGER_TYPES,
    ),
)
Level = Literal["process", "group"]
# Where each level keeps the fields without a model attribute, inside its ``extra``.
_EXTRA_PART: dict[str, str | None] = {"process": None, "group": "node"}


def fields_of(level: Level) -> tuple[Field, ...]:
    """Return the registry's fields of a process or of a group, as the module holds them now."""
    return PROCESS_FIELDS if level == "process" else GROUP_FIELDS


def model_attrs(fields: tuple[Field, ...]) -> tuple[str, ...]:
    """Return the model attributes that store ``fields`` (those kept in ``extra`` have none)."""
    return tuple(f.attr for f in fields if f.attr)


def field_value(obj: Any, field: Field, level: Level) -> Any:
    """Return ``field``'s value on a draft (``level`` "process") or a group node ("group")."""
    if field.attr:
        return getattr(obj, field.attr)
    extra = obj.extra or {}
    part = _EXTRA_PART[level]
    kept = (extra.get(part) or {}) if part else extra
    return kept.get(field.key)


def field_store(obj: Any, field: Field, level: Level, value: Any) -> None:
    """Set ``field`` on a draft or a group node to ``value``; None unsets a field kept in ``extra``."""
    if field.attr:
        setattr(obj, field.attr, value)
        return
    extra = dict(obj.extra or {})
    part = _EXTRA_PART[level]
    kept = dict(extra.get(part) or {}) if part else extra
    if value is None:
        kept.pop(field.key, None)
    else:
        kept[field.key] = value
    if part:
        extra = extra | {part: kept} if kept else {k: v for k, v in extra.items() if k != part}
    obj.extra = extra


def field_by_key(fields: tuple[Field, ...]) -> dict[str, Field]:
    """Return ``fields`` by API key."""
    return {f.key: f for f in fields}


def shown(kind: str | None, value: Any) -> str:
    """Return a value as a reviewer reads it: Yes/No, weekdays joined, a principal as its id.

    ``kind`` is the field's kind, or None for a field the registry does not know.
    """
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if kind == "weekdays" and isinstance(value, list):
        return ", ".join(str(day).title() for day in value) or "none"
    if isinstance(value, dict) and set(value) <= {"id", "type"} and "id" in value:
        return str(value["id"])
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def job_type(name: str) -> JobType | None:
    """Return the registered job type called ``name``, or None."""
    return JOB_TYPES.get(name)


# --- HTTP conventions (workiva-processes-api.md §1–3, §5) ---------------------------------------

VERSION_HEADER = "X-Version"  # [seed] on every request; without it the old 2022 API answers [doc]
PROCESSES_PATH = "/processes"  # POST create, GET list [seed, doc]
PROCESS_PATH = "/processes/{id}"  # GET one, DELETE = move to trash [doc]
VALIDATION_PATH = "/processes/{id}/validation"  # POST; result shape [unknown] beyond "errors" [doc]
RUN_PATH = "/processes/{id}/run"  # POST, optional {"sendProcessCompleteEmail": bool}: 201 + ProcessRun [doc]
PROCESS_RUN_PATH = "/processRuns/{id}"  # GET: the ProcessRun [doc]; its shape beyond "status per run" [inferred]
CREATED_STATUS = 201  # [seed]
TRASHED_STATUS = 204  # [doc]
# Throttling and transient server states worth retrying [doc: 429 + Retry-After; 503 maintenance].
RETRY_STATUSES = (429, 502, 503, 504)
# A gateway that timed out may have passed the request on: for a create the outcome is unknown.
AMBIGUOUS_STATUSES = (502, 504)
# List query parameters [doc]. The filter grammar accepts only ``name contains '…'``.
LIST_NEXT_LINK = "@nextLink"
LIST_FILTER_PARAM = "$filter"
LIST_PAGE_SIZE_PARAM = "$maxpagesize"
LIST_NEXT_PARAM = "$next"
EXCLUDE_GENERATED_PARAM = "excludeGeneratedJobs"
# Responses carry ``created`` and ``modified`` as ``{"dateTime": RFC 3339 UTC, "user": {"id"}}`` [seed].
# Which user id a client-credentials grant acts as is [unknown]; a list item's fields beyond the
# process's own are [unknown] too, so readers of these stamps must accept their absence.
CREATED_FIELD = "created"


def created_stamp(process: Any) -> tuple[datetime | None, str | None]:
    """Return when and by whom (user id) a process in a response was created; None for what it lacks."""
    stamp = process.get(CREATED_FIELD) if isinstance(process, dict) else None
    if not isinstance(stamp, dict):
        return None, None
    when: datetime | None = None
    value = stamp.get("dateTime")
    if isinstance(value, str):
        try:
            when = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            when = None
        if when is not None and when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
    user = stamp.get("user")
    user_id = user.get("id") if isinstance(user, dict) else None
    return when, (str(user_id) if user_id not in (None, "") else None)


def name_contains_filter(name: str) -> str:
    """Return the ``$filter`` for processes whose name contains ``name``.

    Quoting a ``'`` inside the value is [unknown]; doubling it follows the OData convention [inferred].
    """
    return "name contains '{}'".format(name.replace("'", "''"))


# OAuth 2.0 client credentials [doc].
TOKEN_GRANT_TYPE = "client_credentials"
TOKEN_EXPIRES_IN_DEFAULT = 599  # [example]
OAUTH_ERROR_CODES = (
    "invalid_request",
    "unauthorized_client",
    "access_denied",
    "unsupported_response_type",
    "invalid_scope",
    "server_error",
    "temporarily_unavailable",
)
# Error body fields [doc + seed]: code is required, the rest optional.
ERROR_FIELDS = ("code", "message", "target", "documentationUrl", "meta", "details")
UNAUTHORIZED_BODY = {"code": "Unauthorized", "message": "Bad credentials"}  # [seed]
