"""Admin pages for support: drafts with their trees, memberships."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from designer.models import Draft, Membership, Node
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
        if obj.pk is None:
            return format_html("")
        tree = draft_tree(draft=obj)
        rows = format_html_join(
            "",
            '<div style="padding-left:{}em">{} <a href="../../../node/{}/change/">{}</a> <code>{}</code></div>',
            (
                (depth * 1.5, "▸" if node.is_group else "•", node.pk, node.label, node.job_type or node.key)
                for node, depth in tree.walk()
            ),
        )
        return format_html("<div>{}</div>", rows)


@admin.register(Node)
class NodeAdmin(admin.ModelAdmin):
    list_display = ["id", "draft", "kind", "job_type", "position", "key"]
    list_filter = ["kind", "job_type"]
    search_fields = ["key", "name"]
    raw_id_fields = ["draft", "parent"]
    readonly_fields = ["key"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
