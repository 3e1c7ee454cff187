"""URLs of the first REST API (under /api/), kept working; /api/v1/ is the documented one."""

from django.urls import path

from api import legacy as api

urlpatterns = [
    path("drafts/", api.drafts, name="api-drafts"),
    path("drafts/<int:pk>/", api.draft_detail, name="api-draft-detail"),
]
