"""JSON bodies through the editor's own forms: the same checks and messages as the pages.

The API does not validate settings, group fields or job arguments itself. It turns a JSON object
into the form data the editor would post — each field sent by the client, every other field as the
object has it now — and lets the editor's form (``designer.forms``) clean it; what the form counts
as changed goes to the service, and what it refuses comes back with the JSON path of the value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.http import QueryDict
from rest_framework import serializers

from designer.forms import BasedForm


def _type_error(field: forms.Field, value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(field, forms.BooleanField):
        return None if isinstance(value, bool) else "Must be true or false."
    if isinstance(field, forms.MultipleChoiceField):
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return None if ok else "Must be a list of strings."
    if isinstance(value, Mapping) and "id" in value:  # a principal: {"type": "user", "id": "userId1234"}
        return None if isinstance(value["id"], str) else "Must be a string."
    return None if isinstance(value, str) else "Must be a string."


def _as_data(field: forms.Field, value: Any) -> list[str]:
    """Return what the editor's widget for ``field`` posts for ``value``."""
    if isinstance(field, forms.BooleanField):
        return ["on"] if value else []
    if isinstance(field, forms.MultipleChoiceField):
        return [str(v) for v in value or []]
    if isinstance(value, Mapping):
        value = value.get("id")
    return ["" if value is None else str(value)]


def form_from_json(blank: BasedForm, body: Mapping[str, Any], bind: Any, *, where: str) -> BasedForm:
    """Return ``bind(data)``: the editor's form bound to ``body`` over the current values of ``blank``.

    Raises a ValidationError whose keys are JSON paths (``where`` + field name) for an unknown
    field, a value of the wrong JSON type, or anything the form itself refuses.
    """
    unknown = sorted(set(body) - set(blank.fields))
    errors: dict[str, list[str]] = {
        f"{where}{name}": [f"Unknown field; known fields: {', '.join(blank.fields)}."] for name in unknown
    }
    data = QueryDict(mutable=True)
    for name, field in blank.fields.items():
        bound = blank[name]
        if name in body:
            problem = _type_error(field, body[name])
            if problem:
                errors[f"{where}{name}"] = [problem]
                continue
            value = body[name]
        else:
            value = bound.value() if not isinstance(field, forms.BooleanField) else bound.initial
        data.setlist(bound.html_name, _as_data(field, value))
    if errors:
        raise serializers.ValidationError(errors)
    form: BasedForm = bind(data)
    if not form.is_valid():
        raise serializers.ValidationError(
            {f"{where}{name}": [str(m) for m in messages] for name, messages in form.errors.items()}
        )
    return form
