"""URLs of the REST API (under /api/)."""

from django.urls import path

from designer import api

urlpatterns = [
    path("drafts/", api.drafts, name="api-drafts"),
    path("drafts/<int:pk>/", api.draft_detail, name="api-draft-detail"),
]
