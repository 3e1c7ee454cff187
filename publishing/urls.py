"""Publishing routes."""

from __future__ import annotations

from django.urls import path

from publishing import runs_views, views

urlpatterns = [
    path("drafts/<int:draft_id>/publish/", views.publish_view, name="draft-publish"),
    path("drafts/<int:draft_id>/publishing/", views.history_view, name="publishing-history"),
    path("submissions/<int:pk>/status/", views.submission_status_view, name="submission-status"),
    path("submissions/<int:pk>/check/", views.submission_check_view, name="submission-check"),
    path("submissions/<int:pk>/resend/", views.submission_resend_view, name="submission-resend"),
    path("submissions/<int:pk>/claim/", views.submission_claim_view, name="submission-claim"),
    path("drafts/<int:draft_id>/runs/start/", runs_views.run_start_view, name="run-start"),
    path("runs/<int:pk>/", runs_views.run_detail_view, name="run-detail"),
    path("runs/<int:pk>/status/", runs_views.run_status_view, name="run-status"),
    path("publishing/connection/", views.connection_view, name="publishing-connection"),
    path("publishing/connection/test/", views.connection_test_view, name="publishing-connection-test"),
]
