"""URLs of the REST API, version 1 (under /api/v1/), its schema and its docs page.

A new endpoint on a draft is a view in ``api/views/`` calling one service, and a line here.
"""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api.problems import not_found
from api.views import calendar, directory, drafts, edits, nodes, review, revisions, submissions, templates

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
    path(DRAFT + "nodes/copy/", edits.Copy.as_view(), name="api-v1-nodes-copy"),
    path(DRAFT + "nodes/paste/", edits.Paste.as_view(), name="api-v1-nodes-paste"),
    path(DRAFT + "nodes/bulk-update/", edits.BulkUpdate.as_view(), name="api-v1-nodes-bulk-update"),
    path(DRAFT + "nodes/move/", edits.MoveMany.as_view(), name="api-v1-nodes-move"),
    path(DRAFT + "nodes/delete/", edits.DeleteMany.as_view(), name="api-v1-nodes-delete"),
    path(DRAFT + "undo/", edits.Undo.as_view(), name="api-v1-undo"),
    path(DRAFT + "redo/", edits.Redo.as_view(), name="api-v1-redo"),
    path(DRAFT + "undo-state/", edits.UndoState.as_view(), name="api-v1-undo-state"),
    path(DRAFT + "date-fix/", calendar.DateFix.as_view(), name="api-v1-date-fix"),
    path(DRAFT + "calendar/", calendar.Calendar.as_view(), name="api-v1-calendar"),
    path(DRAFT + "roll-forward/", calendar.RollForward.as_view(), name="api-v1-roll-forward"),
    path(DRAFT + "save-as-template/", templates.SaveAsTemplate.as_view(), name="api-v1-save-as-template"),
    path("templates/", templates.TemplateList.as_view(), name="api-v1-templates"),
    path("templates/<int:template_pk>/drafts/", templates.DraftFromTemplate.as_view(), name="api-v1-template-drafts"),
    path(NODE + "date-rule/", calendar.DateRule.as_view(), name="api-v1-node-date-rule"),
    path(NODE, nodes.NodeDetail.as_view(), name="api-v1-node"),
    path(NODE + "move/", nodes.NodeMove.as_view(), name="api-v1-node-move"),
    path(NODE + "duplicate/", nodes.NodeDuplicate.as_view(), name="api-v1-node-duplicate"),
    path(DRAFT + "members/", review.MemberList.as_view(), name="api-v1-members"),
    path(DRAFT + "members/<int:member_pk>/", review.MemberDetail.as_view(), name="api-v1-member"),
    path(DRAFT + "review-requests/", review.ReviewRequestList.as_view(), name="api-v1-review-requests"),
    path(DRAFT + "decisions/", review.DecisionList.as_view(), name="api-v1-decisions"),
    path(DRAFT + "comments/", review.CommentList.as_view(), name="api-v1-comments"),
    path(DRAFT + "comments/<int:comment_pk>/", review.CommentDetail.as_view(), name="api-v1-comment"),
    path(DRAFT + "revisions/", revisions.RevisionList.as_view(), name="api-v1-revisions"),
    path(DRAFT + "revisions/save-point/", revisions.RevisionSavePoint.as_view(), name="api-v1-revision-save-point"),
    path(DRAFT + "revisions/diff/", revisions.RevisionDiff.as_view(), name="api-v1-revision-diff"),
    path(DRAFT + "revisions/<int:number>/", revisions.RevisionDetail.as_view(), name="api-v1-revision"),
    path(
        DRAFT + "revisions/<int:number>/restore/", revisions.RevisionRestore.as_view(), name="api-v1-revision-restore"
    ),
    path(DRAFT + "publish/", submissions.Publish.as_view(), name="api-v1-publish"),
    path(DRAFT + "submissions/", submissions.SubmissionList.as_view(), name="api-v1-submissions"),
    path("submissions/<int:submission_pk>/", submissions.SubmissionDetail.as_view(), name="api-v1-submission"),
    path(
        "submissions/<int:submission_pk>/errors/",
        submissions.SubmissionErrors.as_view(),
        name="api-v1-submission-errors",
    ),
    path("directory/users/", directory.DirectoryUsers.as_view(), name="api-v1-directory-users"),
    path("directory/files/", directory.DirectoryFiles.as_view(), name="api-v1-directory-files"),
    path("directory/sections/", directory.DirectorySections.as_view(), name="api-v1-directory-sections"),
    path("schema/", SpectacularAPIView.as_view(), name="api-v1-schema"),
    # Swagger UI from drf-spectacular-sidecar's files, its start script a file of its own: no CDN, no inline
    # script or style (the Content-Security-Policy forbids both).
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-v1-schema", template_name="api/swagger_ui.html"),
        name="api-v1-docs",
    ),
    re_path(r"", not_found),  # anything else under /api/v1/: a problem details 404, not the HTML page
]
