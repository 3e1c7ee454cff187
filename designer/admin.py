"""Admin pages for support: drafts with their trees, memberships."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from designer.models import ClosureDate, Draft, Membership, Node, Operation
from designer.selectors.trees import draft_tree


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Draft)
class DraftAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "owner", "version", "updated"]
    search_fields = ["name", "owner__username"]
    readonly_fields = ["version", "created", "updated", "tree"]
    raw_id_fields = ["owner"]
    inlines = [MembershipInline]

    @admin.display(description="Tree")
    def tree(self, obj: Draft) -> SafeString:
        """Return the tree as nested lists: indented by the admin's own list style, not inline styles (CSP)."""
        if obj.pk is None:
            return format_html("")
        parts: list[str] = []
        level = -1  # depth of the list item left open
        for node, depth in draft_tree(draft=obj).walk():
            if depth > level:
                parts.append('<ul class="draft-tree">' * (depth - level))
            else:
                parts.append("</li>" + "</ul></li>" * (level - depth))
            parts.append(
                format_html(
                    '<li>{} <a href="../../../node/{}/change/">{}</a> <code>{}</code>',
                    "▸" if node.is_group else "•",
                    node.pk,
                    node.label,
                    node.job_type or node.key,
                )
            )
            level = depth
        if level >= 0:
            parts.append("</li>" + "</ul></li>" * level + "</ul>")
        return mark_safe("".join(parts))  # noqa: S308 -- every value went through format_html


@admin.register(Node)
class NodeAdmin(admin.ModelAdmin):
    list_display = ["id", "draft", "kind", "job_type", "position", "key"]
    list_filter = ["kind", "job_type"]
    search_fields = ["key", "name"]
    raw_id_fields = ["draft", "parent"]
    readonly_fields = ["key"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Operation)
class OperationAdmin(admin.ModelAdmin):
    """The operation log, read-only: support can see who did what, and what undo would put back."""

    list_display = ["draft", "version_after", "kind", "summary", "actor", "state", "created"]
    list_filter = ["kind", "state"]
    search_fields = ["summary", "draft__name", "actor__username"]
    list_select_related = ["draft", "actor"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Operation | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Operation | None = None) -> bool:
        return False


@admin.register(ClosureDate)
class ClosureDateAdmin(admin.ModelAdmin):
    """The organization's closure dates: days no draft counts as a business day."""

    list_display = ["date", "name"]
    search_fields = ["name"]
    date_hierarchy = "date"
