"""URLs of the REST API, version 1 (under /api/v1/), its schema and its docs page."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from api.views import drafts, nodes

DRAFT = "drafts/<int:pk>/"
NODE = DRAFT + "nodes/<uuid:key>/"

urlpatterns = [
    path("drafts/", drafts.DraftList.as_view(), name="api-v1-drafts"),
    path("drafts/import/", drafts.DraftImport.as_view(), name="api-v1-draft-import"),
    path(DRAFT, drafts.DraftDetail.as_view(), name="api-v1-draft"),
    path(DRAFT + "duplicate/", drafts.DraftDuplicate.as_view(), name="api-v1-draft-duplicate"),
    path(DRAFT + "export/", drafts.DraftExport.as_view(), name="api-v1-draft-export"),
    path(DRAFT + "lint/", drafts.DraftLint.as_view(), name="api-v1-draft-lint"),
    path(DRAFT + "nodes/", nodes.NodeTree.as_view(), name="api-v1-nodes"),
    path(NODE, nodes.NodeDetail.as_view(), name="api-v1-node"),
    path(NODE + "move/", nodes.NodeMove.as_view(), name="api-v1-node-move"),
    path("schema/", SpectacularAPIView.as_view(), name="api-v1-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-v1-schema"), name="api-v1-docs"),
]
