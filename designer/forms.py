"""Editor forms: process settings, groups, and job forms generated from the schema registry."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.urls import reverse

from designer.models import Draft, Node
from designer.services.bulk import BULK_FIELDS
from directory import selectors as directory_selectors
from processes_api import schema

DATE_MIN = dt.date(2000, 1, 1)
DATE_MAX = dt.date(2099, 12, 31)
_USER_ID = re.compile(r"^[^\s@]+$")
_ID = re.compile(r"^\S+$")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d", attrs={"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()})


class Switch(forms.CheckboxInput):
    def __init__(self) -> None:
        super().__init__(attrs={"role": "switch", "class": "switch"})


class IsoDateField(forms.DateField):
    """A ``YYYY-MM-DD`` date that must exist (2026-02-30 does not); cleaned to its ISO text."""

    default_error_messages = {"invalid": "Enter a real date as YYYY-MM-DD (for example 2026-03-31)."}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(input_formats=["%Y-%m-%d"], widget=DateInput(), **kwargs)

    def clean(self, value: Any) -> str | None:
        date = super().clean(value)
        if date is None:
            return None
        if not DATE_MIN <= date <= DATE_MAX:
            raise ValidationError(
                f"Choose a date between {DATE_MIN.isoformat()} and {DATE_MAX.isoformat()}.", code="range"
            )
        return str(date.isoformat())


class PickerInput(forms.TextInput):
    """A text input that static/js/picker.js turns into a combobox searching the directory.

    Without JavaScript it is the plain id field it always was. ``picker`` is what it picks
    (``schema.PICKED_KINDS``: user, file, section); the form sets ``data-picker-label`` and
    ``data-picker-state`` from the directory (:func:`describe_picks`).
    """

    def __init__(self, picker: str, *, file_kinds: tuple[str, ...] = (), within: str = "") -> None:
        self.picker = picker
        attrs = {
            "autocomplete": "off",
            "spellcheck": "false",
            "data-picker": picker,
            "data-picker-url": reverse(f"directory-{picker}s"),
        }
        if file_kinds:
            attrs["data-picker-kind"] = ",".join(file_kinds)
        if within:
            attrs["data-picker-within"] = within
        super().__init__(attrs=attrs)


class PickedIdField(forms.CharField):
    """A Workiva id picked from the directory (a user, a file, a section), or typed raw: one word."""

    default_error_messages = {
        "invalid": "Choose from the list, or enter a Workiva id (one word, no spaces).",
    }

    def __init__(self, *, picker: str, file_kinds: tuple[str, ...] = (), within: str = "", **kwargs: Any) -> None:
        super().__init__(widget=PickerInput(picker, file_kinds=file_kinds, within=within), **kwargs)
        self.picker = picker

    def clean(self, value: Any) -> str:
        text: str = super().clean(value)
        if text and not (_USER_ID if self.picker == "user" else _ID).match(text):
            if self.picker == "user":
                raise ValidationError(
                    "Choose a person from the list, or enter a Workiva user id such as userId1234 "
                    "(not an e-mail address or a name).",
                    code="invalid",
                )
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return text


def describe_picks(form: forms.Form) -> None:
    """Mark each picker of ``form`` with what the directory says of its current value.

    ``data-picker-label`` is the name to show; ``data-picker-state`` is ``known``, ``suspended``,
    ``unknown`` (the directory is filled and lacks it: unverified) or ``unchecked`` (the directory is
    empty). Three queries at most, whatever the number of fields.
    """
    pickers = {
        name: field
        for name, field in form.fields.items()
        if isinstance(field.widget, PickerInput) and not field.disabled
    }
    if not pickers:
        return
    values = {name: str(form[name].value() or "") for name in pickers}
    by_kind: dict[str, set[str]] = {}
    for name, field in pickers.items():
        if values[name]:
            by_kind.setdefault(field.widget.picker, set()).add(values[name])
    looked_up = {kind: directory_selectors.lookup(kind, ids) for kind, ids in by_kind.items()}
    known = {kind: found for kind, (found, _) in looked_up.items()}
    filled = {kind: any_there for kind, (_, any_there) in looked_up.items()}
    for name, field in pickers.items():
        value, kind = values[name], field.widget.picker
        found = known.get(kind, {}).get(value)
        attrs = field.widget.attrs
        field.picked = {"state": "empty", "label": "", "detail": ""}  # type: ignore[attr-defined]
        if not value:
            attrs.update({"data-picker-label": "", "data-picker-state": "empty"})
        elif found is not None:
            state = "suspended" if found.suspended else "known"
            attrs.update(
                {"data-picker-label": found.label, "data-picker-detail": found.detail, "data-picker-state": state}
            )
            field.picked = {"state": state, "label": found.label, "detail": found.detail}  # type: ignore[attr-defined]
        else:
            state = "unknown" if filled[kind] else "unchecked"
            attrs.update({"data-picker-label": "", "data-picker-state": state})
            field.picked = {"state": state, "label": "", "detail": ""}  # type: ignore[attr-defined]


def _initial_date(value: Any) -> Any:
    return value if isinstance(value, str) else None


WEEKDAY_CHOICES = [(d, d[:3].title()) for d in schema.WEEKDAYS]


def _form_field(
    kind: str, *, label: str, required: bool, help_text: str, max_length: int, arg: schema.ArgField | None = None
) -> forms.Field:
    """Return the editor's form field for a registry field of ``kind`` (the kind is the widget)."""
    common: dict[str, Any] = {"label": label, "required": required, "help_text": help_text}
    if kind in schema.PICKED_KINDS:
        within = f"node-{arg.within}" if arg is not None and arg.within else ""
        file_kinds = arg.file_kinds if arg is not None else ()
        picker = schema.PICKED_KINDS[kind]
        return PickedIdField(picker=picker, file_kinds=file_kinds, within=within, max_length=1000, **common)
    if kind == "date":
        return IsoDateField(**common)
    if kind == "bool":
        return forms.BooleanField(widget=Switch(), **(common | {"required": False}))
    if kind == "weekdays":
        widget = forms.CheckboxSelectMultiple(attrs={"class": "days"})
        return forms.MultipleChoiceField(choices=WEEKDAY_CHOICES, widget=widget, **(common | {"required": False}))
    if kind == "text":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=20000, **common)
    return forms.CharField(max_length=max_length, **common)


def _initial_setting(kind: str, value: Any) -> Any:
    if kind == "date":
        return _initial_date(value)
    if kind == "weekdays":
        return list(value or [])
    if kind == "bool":
        return bool(value)
    return "" if value is None else value


BASED = "based"  # posted (prefixed) by the editor's forms: every field's base value came with the form


class BasedForm(forms.Form):
    """A form that posts the values it was rendered with, so a write changes only what the user changed.

    Every field renders its base value in a hidden ``initial-<prefix>-<name>`` input (Django's
    ``show_hidden_initial``); the template adds ``<prefix>-based`` to say the base came along (a
    missing hidden input then means "empty", as for weekdays none of which was ticked).
    :attr:`changed_data` compares the posted values with that base, not with the draft as it is
    now: after someone else's change, a field the user did not touch never counts as changed.
    :meth:`rebased` re-renders a refused form on the current values with only the user's changes.
    """

    def _show_base(self) -> None:
        for field in self.fields.values():
            field.show_hidden_initial = True

    @property
    def changed_data(self) -> list[str]:
        based = self.is_bound and self.add_prefix(BASED) in self.data
        changed = []
        for name, field in self.fields.items():
            bound = self[name]
            initial = bound.initial
            if based:
                raw = field.hidden_widget().value_from_datadict(self.data, self.files, bound.html_initial_name)
                try:
                    initial = field.to_python(raw)
                except ValidationError:
                    changed.append(name)
                    continue
            if field.has_changed(initial, bound.data):
                changed.append(name)
        return changed

    def rebased_data(self, current: BasedForm) -> QueryDict:
        """Return form data holding ``current``'s values (and base) with this posted form's changes on top."""
        data = QueryDict(mutable=True)
        data[current.add_prefix(BASED)] = "1"
        changed = set(self.changed_data)
        for name, field in current.fields.items():
            bound = current[name]
            value = bound.value()
            data.setlist(bound.html_initial_name, _as_data(field, value, hidden=True))
            if name in changed:
                posted = self.data.getlist(bound.html_name) if isinstance(self.data, QueryDict) else []
                data.setlist(bound.html_name, posted)
            else:
                data.setlist(bound.html_name, _as_data(field, value, hidden=False))
        return data


def _as_data(field: forms.Field, value: Any, *, hidden: bool) -> list[str]:
    """Return how ``field``'s widget (or its hidden base input) posts ``value``."""
    if isinstance(field, forms.BooleanField):
        if hidden:
            return [str(bool(value))]
        return ["on"] if value else []
    if isinstance(field, forms.MultipleChoiceField):
        return [str(v) for v in value or []]
    return ["" if value is None else str(value)]


class FieldsForm(BasedForm):
    """The registry's fields of one level, built when the form is: only changed fields are written,
    so "not set" stays unset."""

    level: schema.Level

    def __init__(self, data: Any = None, *, obj: Any, prefix: str) -> None:
        self.registry = schema.fields_of(self.level)
        initial = {f.name: _initial_setting(f.kind, schema.field_value(obj, f, self.level)) for f in self.registry}
        super().__init__(data=data, initial=initial, prefix=prefix)
        for f in self.registry:
            self.fields[f.name] = _form_field(
                f.kind, label=f.label, required=f.required, help_text=f.help, max_length=f.max_length
            )
        self._show_base()

    def changes(self) -> dict[str, Any]:
        """Return the changed fields by registry name (model attribute, or API key when kept in ``extra``)."""
        out: dict[str, Any] = {}
        for f in self.registry:
            if f.name not in self.changed_data:
                continue
            value = self.cleaned_data[f.name]
            if f.kind == "weekdays":
                value = [d for d in schema.WEEKDAYS if d in value]
            elif value == "" and not f.required:
                value = None
            out[f.name] = value
        return out


class DraftSettingsForm(FieldsForm):
    """The process settings (``schema.PROCESS_FIELDS``)."""

    level = "process"

    @classmethod
    def for_draft(cls, draft: Draft, data: Any = None) -> DraftSettingsForm:
        return cls(data, obj=draft, prefix="settings")


class GroupForm(FieldsForm):
    """A group's fields (``schema.GROUP_FIELDS``)."""

    level = "group"

    @classmethod
    def for_node(cls, node: Node, data: Any = None) -> GroupForm:
        return cls(data, obj=node, prefix="node")


def _arg_field(arg: schema.ArgField) -> forms.Field:
    """Return the form field for one schema argument (title is the only one a form insists on).

    The other arguments the registry requires may be saved empty (lint reports them until they are
    filled), but they are marked required to people: ``aria-required`` and the form's "*".
    """
    field = _form_field(
        arg.kind, label=arg.label, required=arg.name == "title", help_text=arg.help, max_length=1000, arg=arg
    )
    if arg.required:
        field.widget.attrs["aria-required"] = "true"
    return field


class JobForm(BasedForm):
    """A job's arguments; its fields are generated from the job type in the schema registry."""

    def __init__(self, data: Any = None, *, job_type: schema.JobType, arguments: dict[str, Any]) -> None:
        self.job_type = job_type
        self.arguments = arguments
        initial = {}
        for arg in job_type.fields:
            value = arguments.get(arg.name)
            if arg.kind == "principal":
                value = value.get("id", "") if isinstance(value, dict) else ""
            elif arg.kind == "date":
                value = _initial_date(value)
            initial[arg.name] = value
        super().__init__(data, initial=initial, prefix="node")
        for arg in job_type.fields:
            self.fields[arg.name] = _arg_field(arg)
        self._show_base()
        describe_picks(self)

    @classmethod
    def for_node(cls, node: Node, data: Any = None) -> JobForm | None:
        jt = schema.job_type(node.job_type)
        if jt is None or jt.generated:
            return None
        arguments = node.arguments if isinstance(node.arguments, dict) else {}
        return cls(data, job_type=jt, arguments=arguments)

    def changes(self) -> dict[str, Any]:
        """Return ``{"arguments": {...}}`` with every known field: the changed ones from the form, the
        others as the job has them now (empty ones are dropped by the service)."""
        args: dict[str, Any] = {}
        changed = self.changed_data
        for arg in self.job_type.fields:
            if arg.name not in changed:
                args[arg.name] = self.arguments.get(arg.name)
                continue
            value = self.cleaned_data.get(arg.name)
            if arg.kind == "principal" and value:
                old = self.arguments.get(arg.name)
                base = dict(old) if isinstance(old, dict) else {"type": "user"}
                value = base | {"id": value}
            args[arg.name] = value
        return {"arguments": args}


class NodeAddForm(forms.Form):
    """What to add ("group" or a job type name) and where: a ``parent`` and ``position``, or ``after`` a node."""

    parent = forms.UUIDField(required=False)
    position = forms.IntegerField(required=False, min_value=0, max_value=100_000)
    after = forms.UUIDField(required=False)
    what = forms.ChoiceField(
        choices=[("group", "Group"), *((jt.name, jt.label) for jt in schema.EDITABLE_JOB_TYPES)],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        placed = data.get("parent") is not None and data.get("position") is not None
        if placed == (data.get("after") is not None):
            raise forms.ValidationError("Say where to add: a parent group and a position, or the item to add after.")
        return data


class MoveForm(forms.Form):
    """A move: a keyboard ``direction``, or a drop's new ``parent`` and ``position`` (index among its children)."""

    direction = forms.ChoiceField(
        required=False,
        choices=[("up", "Move up"), ("down", "Move down"), ("indent", "Indent"), ("outdent", "Outdent")],
    )
    parent = forms.UUIDField(required=False)
    position = forms.IntegerField(required=False, min_value=0, max_value=100_000)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        dropped = data.get("parent") is not None and data.get("position") is not None
        if bool(data.get("direction")) == dropped:
            raise forms.ValidationError("Choose up, down, indent or outdent, or where to drop the item.")
        return data


class NewDraftForm(forms.Form):
    name = forms.CharField(max_length=500, label="Name", initial="")


class ImportForm(forms.Form):
    file = forms.FileField(label="Payload JSON file")


MAX_IMPORT_BYTES = schema.MAX_BODY_BYTES


class BulkForm(BasedForm):
    """What several jobs share (``designer.services.bulk.BULK_FIELDS``), and a shift of their dates.

    A field shows the jobs' common value, or nothing with the placeholder "Mixed" when they differ;
    only fields the user changes are written (the base values come with the form, as for
    :class:`JobForm`), so a mixed field left alone keeps each job's own value. Assignee, approver
    and document are the same directory pickers as the single job's inspector (a name is chosen, an
    id is posted; a raw id is still accepted), named from the directory like its (:func:`describe_picks`).
    """

    def __init__(self, data: Any = None, *, shared: dict[str, str | None]) -> None:
        """``shared``: bulk field name → the jobs' common value ("" unset), None when they differ;
        fields none of the jobs has are not in it."""
        initial = {name: value or "" for name, value in shared.items()} | {"shift_days": 0}
        super().__init__(data, initial=initial, prefix="bulk")
        kinds = {
            "assignee": "user",
            "approver": "user",
            "due_date": "date",
            "instructions": "text",
            "document": "file",
        }
        for name, value in shared.items():
            label = BULK_FIELDS[name][0]
            field = _form_field(kinds[name], label=label, required=False, help_text="", max_length=500)
            if value is None:
                field.widget.attrs["placeholder"] = "Mixed"
                field.help_text = "Mixed: the jobs differ. Leave it empty to keep each job's own."
            self.fields[name] = field
        self.fields["shift_days"] = forms.IntegerField(
            label="Shift dates by (days)",
            min_value=-3660,
            max_value=3660,
            required=False,
            help_text="Moves every date of the selected jobs; negative moves them earlier.",
        )
        self._show_base()
        describe_picks(self)

    def changes(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in self.changed_data if name != "shift_days"}

    def shift(self) -> int:
        return int(self.cleaned_data.get("shift_days") or 0) if "shift_days" in self.changed_data else 0
