"""The designer's pages and htmx fragments."""

from __future__ import annotations

from designer.views.drafts import (
    draft_create_view,
    draft_delete_view,
    draft_duplicate_view,
    draft_import_view,
    draft_list_view,
)
from designer.views.editor import (
    draft_settings_view,
    draft_status_view,
    editor_view,
    node_detail_view,
    payload_download_view,
    payload_view,
)
from designer.views.nodes import (
    node_add_view,
    node_delete_view,
    node_duplicate_view,
    node_edit_view,
    node_move_view,
)
from designer.views.operations import redo_view, undo_view

__all__ = [
    "draft_create_view",
    "draft_delete_view",
    "draft_duplicate_view",
    "draft_import_view",
    "draft_list_view",
    "draft_settings_view",
    "editor_view",
    "node_add_view",
    "node_delete_view",
    "node_detail_view",
    "node_duplicate_view",
    "node_edit_view",
    "node_move_view",
    "payload_download_view",
    "payload_view",
    "draft_status_view",
    "redo_view",
    "undo_view",
]
