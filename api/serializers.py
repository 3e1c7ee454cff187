"""The API's request and response shapes; every write is handed to a designer or publishing service."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from api.models import ApiToken
from designer.forms import DATE_MAX, DATE_MIN
from designer.models import Approval, Comment, Draft, Membership, Node, ReviewRequest, Revision
from designer.permissions import role_of
from processes_api import schema
from publishing.models import Submission, SubmissionError

ROLES = [r.value for r in Membership.Role]


class DraftSerializer(serializers.ModelSerializer[Draft]):
    owner = serializers.CharField(source="owner.get_username", read_only=True)
    role = serializers.SerializerMethodField()

    class Meta:
        model = Draft
        fields = ["id", "name", "owner", "role", "version", "created", "updated"]

    def get_role(self, draft: Draft) -> str | None:
        """The caller's role on the draft (from ``with_my_role`` on lists: no query per draft)."""
        return role_of(self.context["request"].user, draft)


class DraftPageSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = DraftSerializer(many=True)


def _settings_fields() -> dict[str, serializers.Field]:
    """One optional field per process setting of the schema registry, named as the registry names it."""
    fields: dict[str, serializers.Field] = {}
    for f in schema.PROCESS_FIELDS:
        if f.kind == "checkbox" or f.kind == "bool":
            fields[f.name] = serializers.BooleanField(required=False, allow_null=True, help_text=f.help or f.label)
        elif f.kind in ("weekdays", "days"):
            fields[f.name] = serializers.ListField(
                child=serializers.ChoiceField(choices=schema.WEEKDAYS),
                required=False,
                allow_null=True,
                help_text=f.help or f.label,
            )
        else:
            fields[f.name] = serializers.CharField(
                required=False, allow_null=True, allow_blank=True, max_length=500, help_text=f.help or f.label
            )
    return fields


DraftSettingsSerializer = type(
    "DraftSettingsSerializer",
    (serializers.Serializer,),
    {**_settings_fields(), "__doc__": "Process settings; only the fields sent are changed."},
)


class DraftDetailSerializer(DraftSerializer):
    settings = serializers.SerializerMethodField()

    class Meta(DraftSerializer.Meta):
        fields = [*DraftSerializer.Meta.fields, "settings"]

    def get_settings(self, draft: Draft) -> dict[str, Any]:
        return {f.name: schema.field_value(draft, f, "process") for f in schema.PROCESS_FIELDS}


class DraftCreateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=500, allow_blank=True)


class DuplicateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=500, required=False, allow_blank=False)


class ProblemItemSerializer(serializers.Serializer[Any]):
    severity = serializers.CharField()
    code = serializers.CharField()
    message = serializers.CharField()
    field = serializers.CharField(allow_null=True)
    node = serializers.UUIDField(allow_null=True)
    path = serializers.CharField(allow_null=True)


class LintSerializer(serializers.Serializer[Any]):
    problems = ProblemItemSerializer(many=True)


class NodeSerializer(serializers.Serializer[Any]):
    """One node (the shape of writes' answers; built by ``api.views.nodes.node_json``)."""

    key = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=Node.Kind.choices)
    parent = serializers.UUIDField(allow_null=True)  # type: ignore[assignment]
    position = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]
    job_type = serializers.CharField()
    fields = serializers.DictField(help_text="A group's fields by registry name; {} for a job.")  # type: ignore[assignment]
    arguments = serializers.DictField(help_text="A job's arguments; {} for a group.")


class TreeNodeSerializer(serializers.Serializer[Any]):
    """A node with its children, for the tree (documented shape; built in one pass by the view)."""

    key = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=Node.Kind.choices)
    label = serializers.CharField()  # type: ignore[assignment]
    job_type = serializers.CharField()
    fields = serializers.DictField()  # type: ignore[assignment]
    arguments = serializers.DictField()
    children = serializers.ListField(child=serializers.DictField())


class NodeCreateSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=Node.Kind.choices)
    parent = serializers.UUIDField(required=False, allow_null=True, help_text="The group to add into.")  # type: ignore[assignment]
    position = serializers.IntegerField(required=False, min_value=0, max_value=1_000_000, default=0)
    after = serializers.UUIDField(required=False, allow_null=True, help_text="Add right after this node instead.")
    job_type = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    name = serializers.CharField(required=False, allow_null=True, max_length=500)
    arguments = serializers.DictField(required=False, allow_null=True)


class NodeUpdateSerializer(serializers.Serializer[Any]):
    fields = serializers.DictField(required=False, help_text="A group's fields, by registry name.")  # type: ignore[assignment]
    arguments = serializers.DictField(required=False, help_text="A job's arguments (unknown ones are kept).")


class NodeMoveSerializer(serializers.Serializer[Any]):
    parent = serializers.UUIDField(required=False, allow_null=True)  # type: ignore[assignment]
    position = serializers.IntegerField(required=False, min_value=0, max_value=1_000_000, default=0)
    direction = serializers.ChoiceField(choices=["up", "down", "indent", "outdent"], required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("direction") and not attrs.get("parent"):
            raise serializers.ValidationError("Choose up, down, indent or outdent, or where to drop the item.")
        return attrs


class MemberSerializer(serializers.ModelSerializer[Membership]):
    user = serializers.IntegerField(source="user_id", read_only=True, help_text="The user id (for reviewers).")
    username = serializers.CharField(source="user.get_username", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "username", "role", "created"]


class MembersSerializer(serializers.Serializer[Any]):
    owner = serializers.CharField()
    members = MemberSerializer(many=True)
    invitations = serializers.ListField(child=serializers.DictField())


class MemberInviteSerializer(serializers.Serializer[Any]):
    identifier = serializers.CharField(max_length=254, help_text="A username or an e-mail address.")
    role = serializers.ChoiceField(choices=[r for r in ROLES if r != "owner"])


class MemberRoleSerializer(serializers.Serializer[Any]):
    role = serializers.ChoiceField(choices=[r for r in ROLES if r != "owner"])


class InvitationSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    identifier = serializers.CharField()
    role = serializers.CharField()
    detail = serializers.CharField()


class ReviewRequestSerializer(serializers.ModelSerializer[ReviewRequest]):
    requested_by = serializers.CharField(source="requested_by.get_username", read_only=True)
    revision = serializers.IntegerField(source="revision.number", read_only=True)
    reviewers = serializers.SlugRelatedField(many=True, read_only=True, slug_field="username")  # type: ignore[var-annotated]

    class Meta:
        model = ReviewRequest
        fields = ["id", "revision", "requested_by", "reviewers", "note", "status", "created"]


class ReviewRequestCreateSerializer(serializers.Serializer[Any]):
    reviewers = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), max_length=100)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class DecisionSerializer(serializers.ModelSerializer[Approval]):
    reviewer = serializers.CharField(source="reviewer.get_username", read_only=True)
    revision = serializers.IntegerField(source="revision.number", read_only=True)

    class Meta:
        model = Approval
        fields = ["id", "revision", "reviewer", "verdict", "content_hash", "note", "created"]


class DecisionCreateSerializer(serializers.Serializer[Any]):
    verdict = serializers.ChoiceField(choices=["approved", "changes_requested"])
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class CommentSerializer(serializers.ModelSerializer[Comment]):
    author = serializers.CharField(source="author.get_username", read_only=True)
    parent = serializers.IntegerField(
        source="parent_id", read_only=True, allow_null=True, help_text="The thread's first comment."
    )  # type: ignore[assignment]

    class Meta:
        model = Comment
        fields = ["id", "node_key", "parent", "author", "body", "resolved", "created"]


class CommentCreateSerializer(serializers.Serializer[Any]):
    body = serializers.CharField(max_length=10_000)
    node = serializers.UUIDField(required=False, allow_null=True)
    parent = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**31 - 1)  # type: ignore[assignment]


class CommentFilterSerializer(serializers.Serializer[Any]):
    node = serializers.UUIDField(allow_null=True)


class CommentStateSerializer(serializers.Serializer[Any]):
    resolved = serializers.BooleanField()


class RevisionSerializer(serializers.ModelSerializer[Revision]):
    author = serializers.CharField(source="author.get_username", read_only=True)

    class Meta:
        model = Revision
        fields = ["number", "draft_version", "content_hash", "author", "reason", "note", "created"]


class RevisionDetailSerializer(RevisionSerializer):
    class Meta(RevisionSerializer.Meta):
        fields = [*RevisionSerializer.Meta.fields, "payload"]


class FieldChangeSerializer(serializers.Serializer[Any]):
    field = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)
    before_text = serializers.CharField(allow_blank=True)
    after_text = serializers.CharField(allow_blank=True)


class NodeChangeSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    kind = serializers.CharField()
    label = serializers.CharField(allow_blank=True)  # type: ignore[assignment]
    parent_changed = serializers.BooleanField()
    fields = FieldChangeSerializer(many=True)  # type: ignore[assignment]


class SavePointSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class DiffSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    process = FieldChangeSerializer(many=True)
    added = NodeChangeSerializer(many=True)
    removed = NodeChangeSerializer(many=True)
    moved = NodeChangeSerializer(many=True)
    changed = NodeChangeSerializer(many=True)


class SubmissionErrorSerializer(serializers.ModelSerializer[SubmissionError]):
    class Meta:
        model = SubmissionError
        fields = ["node_key", "path", "code", "message", "target", "argument_name", "source"]


class SubmissionSerializer(serializers.ModelSerializer[Submission]):
    user = serializers.CharField(source="user.get_username", read_only=True)
    revision = serializers.IntegerField(source="revision.number", read_only=True)

    class Meta:
        model = Submission
        fields = [
            "id",
            "draft",
            "revision",
            "user",
            "status",
            "message",
            "process_id",
            "http_status",
            "attempts",
            "created",
            "finished",
        ]


class SubmissionDetailSerializer(SubmissionSerializer):
    errors = SubmissionErrorSerializer(many=True, read_only=True)  # type: ignore[assignment]

    class Meta(SubmissionSerializer.Meta):
        fields = [*SubmissionSerializer.Meta.fields, "errors"]


class ErrorsByNodeSerializer(serializers.Serializer[Any]):
    process = SubmissionErrorSerializer(many=True)
    nodes = serializers.DictField(child=SubmissionErrorSerializer(many=True), help_text="By node key.")


class TokenSerializer(serializers.ModelSerializer[ApiToken]):
    class Meta:
        model = ApiToken
        fields = ["token_key", "name", "created", "expiry", "last_used"]


class DateOfProcess(serializers.DateField):
    """A ``YYYY-MM-DD`` date in the range the editor's date fields take (``designer.forms.DATE_MIN``…``DATE_MAX``)."""

    def to_internal_value(self, value: Any) -> Any:
        date = super().to_internal_value(value)
        if not DATE_MIN <= date <= DATE_MAX:
            raise serializers.ValidationError(
                f"Choose a date between {DATE_MIN.isoformat()} and {DATE_MAX.isoformat()}."
            )
        return date
