"""Publishing routes."""

from __future__ import annotations

from django.urls import path

from processes_api import views

urlpatterns = [
    path("drafts/<int:draft_id>/publish/", views.publish, name="draft-publish"),
    path("drafts/<int:draft_id>/publishing/", views.history, name="publishing-history"),
    path("submissions/<int:pk>/status/", views.submission_status, name="submission-status"),
    path("submissions/<int:pk>/check/", views.submission_check, name="submission-check"),
    path("publishing/connection/", views.connection, name="publishing-connection"),
    path("publishing/connection/test/", views.connection_test, name="publishing-connection-test"),
]
