"""The editor's many-item writes and its history: undo and redo (and what they would do), copy and
paste, bulk edit, moving and deleting many items at once.

Each write is one call of the service the editor's own buttons call, with ``actor=self.user`` (so
the user's Undo finds it) and the If-Match version; each is one operation of the log.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from api.openapi import ETAG, errors
from api.serializers import NodeSerializer
from api.views.base import ApiView, DraftWrite, draft_response, write_schema
from api.views.nodes import node_json
from designer.models import Draft, Operation
from designer.permissions import Action
from designer.selectors.operations import undo_state
from designer.services.bulk import BULK_FIELDS, MAX_SHIFT_DAYS, nodes_bulk_update
from designer.services.clipboard import nodes_copy, nodes_paste
from designer.services.operations import operation_redo, operation_undo
from designer.services.selection import DIRECTIONS, MAX_KEYS, nodes_delete, nodes_move
from processes_api.payload import PayloadError

# --- shapes ---------------------------------------------------------------------------------------------


class UndoStateSerializer(serializers.Serializer[Any]):
    undo = serializers.CharField(help_text='What Undo would undo for you, e.g. "move of “Cash”"; "" when nothing.')
    redo = serializers.CharField(help_text='What Redo would redo for you; "" when nothing.')


class OperationSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text=f"One of {', '.join(Operation.Kind.values)}.")
    summary = serializers.CharField(help_text='What it did, e.g. "undo of paste of 3 items".')
    version = serializers.IntegerField(source="version_after", help_text="The draft's version after it.")


class RevertSerializer(serializers.Serializer[Any]):
    operation = OperationSerializer(help_text="The undo (or redo) itself, as recorded in the operation log.")
    undo = serializers.CharField(help_text="What Undo would do next for you.")
    redo = serializers.CharField(help_text="What Redo would do next for you.")


def _keys(**kwargs: Any) -> serializers.ListField:
    return serializers.ListField(child=serializers.UUIDField(), min_length=1, max_length=MAX_KEYS, **kwargs)


class KeysSerializer(serializers.Serializer[Any]):
    keys = _keys(help_text="The node keys; a node inside another one listed goes with it.")


class FragmentSerializer(serializers.Serializer[Any]):
    children = serializers.ListField(
        child=serializers.DictField(),
        help_text="Top-level nodes, each a Process document node (a group or a job) with its children.",
    )


class PasteSerializer(serializers.Serializer[Any]):
    fragment = serializers.JSONField(
        help_text='What copy answered: {"children": [...]} (a whole Process document is taken too: its root\'s '
        "children). Checked as an import is; a problem names its path ($.fragment.children[0]…)."
    )
    after = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="Paste right after this node (into it when it is an empty group; at the end for the root).",
    )
    parent = serializers.UUIDField(  # type: ignore[assignment]
        required=False, allow_null=True, help_text="Else: at the end of this group. Neither: at the end of the process."
    )


class PastedSerializer(serializers.Serializer[Any]):
    nodes = NodeSerializer(many=True, help_text="The new top-level nodes, in order.")


class BulkSerializer(serializers.Serializer[Any]):
    keys = _keys(help_text="The jobs to change (groups among them are left alone).")
    changes = serializers.DictField(
        child=serializers.CharField(allow_blank=True, allow_null=True, max_length=100_000),
        required=False,
        default=dict,
        help_text=f'Shared fields to set ({", ".join(BULK_FIELDS)}) to text; "" or null clears. A job '
        "type without the field is skipped.",
    )
    shift_days = serializers.IntegerField(
        required=False,
        default=0,
        min_value=-MAX_SHIFT_DAYS,
        max_value=MAX_SHIFT_DAYS,
        help_text="Shift every date of the jobs by this many days: the draft's business days when it has a "
        "calendar (see unit in the answer), else calendar days. A shifted date drops its rule.",
    )

    def validate_changes(self, value: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(value) - set(BULK_FIELDS))
        if unknown:
            raise serializers.ValidationError(
                f"Bulk edit cannot change {', '.join(unknown)}; it changes {', '.join(BULK_FIELDS)}."
            )
        return value


class BulkResultSerializer(serializers.Serializer[Any]):
    changed = serializers.ListField(child=serializers.UUIDField(), help_text="Keys of the jobs changed.")
    skipped = serializers.IntegerField(help_text="Jobs whose type has none of the fields.")
    unit = serializers.CharField(help_text='What shift_days counted ("business days", "days"), or "".')


class ManyMoveSerializer(serializers.Serializer[Any]):
    keys = _keys(help_text="The nodes to move, as one block in their document order.")
    parent = serializers.UUIDField(required=False, allow_null=True, help_text="Into this group…")  # type: ignore[assignment]
    position = serializers.IntegerField(
        required=False,
        default=0,
        min_value=0,
        max_value=1_000_000,
        help_text="…at this index among its children that are not moving (clamped to its end).",
    )
    direction = serializers.ChoiceField(
        choices=list(DIRECTIONS), required=False, help_text="Or one keyboard step (instead of parent)."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("direction") and attrs.get("parent") is None:
            raise serializers.ValidationError(
                {"parent": ["Say where to: a parent group and a position, or a direction."]}
            )
        return attrs


class MovedSerializer(serializers.Serializer[Any]):
    nodes = NodeSerializer(many=True, help_text="The moved nodes, in their new order.")


class DeletedSerializer(serializers.Serializer[Any]):
    deleted = serializers.ListField(child=serializers.UUIDField(), help_text="Keys of the top nodes deleted.")
    summary = serializers.CharField(help_text='e.g. "deletion of 3 items"; Undo puts them back.')


# --- undo and redo --------------------------------------------------------------------------------------


class UndoState(ApiView):
    @extend_schema(
        operation_id="drafts_undo_state",
        summary="What Undo and Redo would do for you on this draft (your own operations)",
        parameters=[ETAG],
        responses={200: UndoStateSerializer, **errors(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        draft = self.draft(pk, Action.VIEW)
        state = undo_state(draft, self.user)
        return draft_response({"undo": state.undo, "redo": state.redo}, draft)


class _Revert(DraftWrite):
    def answer(self, draft: Draft, op: Operation) -> dict[str, Any]:
        state = undo_state(draft, self.user)
        return {"operation": OperationSerializer(op).data, "undo": state.undo, "redo": state.redo}


@write_schema(
    "drafts_undo",
    "Undo your latest operation on the draft (the editor's Undo); 409 when it was changed since",
    None,
    RevertSerializer,
    refusals=(409,),
)
class Undo(_Revert):
    def perform(self, draft: Draft, version: int, data: dict[str, Any], **kwargs: Any) -> Any:
        return self.answer(draft, operation_undo(draft=draft, version=version, actor=self.user))


@write_schema(
    "drafts_redo",
    "Redo what you undid last on the draft (the editor's Redo); 409 when it was changed since",
    None,
    RevertSerializer,
    refusals=(409,),
)
class Redo(_Revert):
    def perform(self, draft: Draft, version: int, data: dict[str, Any], **kwargs: Any) -> Any:
        return self.answer(draft, operation_redo(draft=draft, version=version, actor=self.user))


# --- copy and paste -------------------------------------------------------------------------------------


class Copy(ApiView):
    @extend_schema(
        operation_id="nodes_copy",
        summary='Copy nodes with their subtrees: the clipboard fragment {"children": [...]} (nothing written)',
        parameters=[ETAG],
        request=KeysSerializer,
        responses={200: FragmentSerializer, **errors(400, 401, 404, 422)},
    )
    def post(self, request: Request, pk: int) -> Response:
        draft = self.draft(pk, Action.VIEW)
        body = KeysSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return draft_response(nodes_copy(draft=draft, keys=body.validated_data["keys"]), draft)


@write_schema(
    "nodes_paste",
    "Paste a clipboard fragment (from this draft or another): one operation, undone in one step",
    PasteSerializer,
    PastedSerializer,
    code=201,
)
class Paste(DraftWrite):
    body = PasteSerializer
    status_code = status.HTTP_201_CREATED

    def perform(self, draft: Draft, version: int, data: dict[str, Any], **kwargs: Any) -> Any:
        fragment = data["fragment"]
        try:
            top = nodes_paste(
                draft=draft,
                version=version,
                data=fragment,
                after_key=data.get("after"),
                parent_key=data.get("parent"),
                actor=self.user,
            )
        except PayloadError as exc:
            # The importer's paths start at the document's root; the body holds the fragment under "fragment".
            whole = isinstance(fragment, dict) and "root" in fragment and "children" not in fragment
            where = exc.path if whole or not exc.path.startswith("root") else exc.path[len("root") :].lstrip(".")
            raise PayloadError(f"fragment.{where}".rstrip(".") if where else "fragment", exc.problem) from None
        return {"nodes": [node_json(draft, node) for node in top]}


# --- many items at once ---------------------------------------------------------------------------------


@write_schema(
    "nodes_bulk_update",
    "Bulk edit: set shared fields of many jobs and/or shift their dates, as one operation",
    BulkSerializer,
    BulkResultSerializer,
)
class BulkUpdate(DraftWrite):
    body = BulkSerializer

    def perform(self, draft: Draft, version: int, data: dict[str, Any], **kwargs: Any) -> Any:
        result = nodes_bulk_update(
            draft=draft,
            version=version,
            keys=data["keys"],
            changes=data["changes"],
            shift_days=data["shift_days"],
            actor=self.user,
        )
        return {"changed": [str(n.key) for n in result.changed], "skipped": result.skipped, "unit": result.unit}


@write_schema(
    "nodes_move_many",
    "Move many nodes as one block (into a group at a position, or one step), as one operation",
    ManyMoveSerializer,
    MovedSerializer,
)
class MoveMany(DraftWrite):
    body = ManyMoveSerializer

    def perform(self, draft: Draft, version: int, data: dict[str, Any], **kwargs: Any) -> Any:
        moved = nodes_move(
            draft=draft,
            version=version,
            keys=data["keys"],
            parent_key=data.get("parent"),
            position=data.get("position") or 0,
            direction=data.get("direction") or "",
            actor=self.user,
        )
        return {"nodes": [node_json(draft, node) for node in moved.nodes]}


@write_schema(
    "nodes_delete_many",
    "Delete many nodes and everything in them, as one operation (Undo puts them all back)",
    KeysSerializer,
    DeletedSerializer,
)
class DeleteMany(DraftWrite):
    body = KeysSerializer

    def perform(self, draft: Draft, version: int, data: dict[str, Any], **kwargs: Any) -> Any:
        deleted = nodes_delete(draft=draft, version=version, keys=data["keys"], actor=self.user)
        count = len(deleted)
        summary = f"deletion of {count} item{'s' if count != 1 else ''}"
        return {"deleted": [d["nodes"][0]["key"] for d in deleted], "summary": summary}
