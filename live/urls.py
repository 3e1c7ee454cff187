"""The live app's pages: the editor's catch-up."""

from __future__ import annotations

from django.urls import path

from live.views import changes_view, comments_view

urlpatterns = [
    path("drafts/<int:pk>/live/changes/", changes_view, name="live-changes"),
    path("drafts/<int:pk>/live/comments/", comments_view, name="live-comments"),
]
