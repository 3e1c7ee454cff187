"""URLs of the review pages, included from ``designer.urls``."""

from django.urls import path

from designer.views import review as views
from designer.views import revisions, sharing

urlpatterns = [
    path("reviews/", views.inbox_view, name="review-inbox"),
    path("drafts/<int:pk>/members/", sharing.members_view, name="review-members"),
    path("drafts/<int:pk>/members/add/", sharing.member_add_view, name="review-member-add"),
    path("drafts/<int:pk>/members/<int:member_pk>/role/", sharing.member_update_view, name="review-member-update"),
    path("drafts/<int:pk>/members/<int:member_pk>/remove/", sharing.member_remove_view, name="review-member-remove"),
    path("drafts/<int:pk>/members/leave/", sharing.member_leave_view, name="review-member-leave"),
    path(
        "drafts/<int:pk>/invitations/<int:invitation_pk>/cancel/",
        sharing.invitation_cancel_view,
        name="review-invitation-cancel",
    ),
    path("invitations/", sharing.invitation_list_view, name="invitation-list"),
    path("invitations/<int:invitation_pk>/accept/", sharing.invitation_accept_view, name="invitation-accept"),
    path("invitations/<int:invitation_pk>/decline/", sharing.invitation_decline_view, name="invitation-decline"),
    path("drafts/<int:pk>/transfer/", sharing.ownership_transfer_view, name="review-transfer"),
    path("drafts/<int:pk>/gate/", views.gate_set_view, name="review-gate"),
    path("drafts/<int:pk>/review/", views.review_page_view, name="review-page"),
    path("drafts/<int:pk>/review/request/", views.review_request_create_view, name="review-request"),
    path("drafts/<int:pk>/review/approve/", views.review_approve_view, name="review-approve"),
    path("drafts/<int:pk>/review/changes/", views.review_request_changes_view, name="review-changes"),
    path("drafts/<int:pk>/comments/", views.comments_view, name="review-comments"),
    path("drafts/<int:pk>/comments/add/", views.comment_create_view, name="review-comment-add"),
    path(
        "drafts/<int:pk>/comments/<int:comment_pk>/resolve/", views.comment_resolve_view, name="review-comment-resolve"
    ),
    path("drafts/<int:pk>/comments/<int:comment_pk>/reopen/", views.comment_reopen_view, name="review-comment-reopen"),
    path("drafts/<int:pk>/revisions/", revisions.revisions_view, name="review-revisions"),
    path("drafts/<int:pk>/revisions/save/", revisions.revision_save_point_view, name="review-save-point"),
    path("drafts/<int:pk>/revisions/diff/", revisions.revision_diff_view, name="review-diff"),
    path("drafts/<int:pk>/revisions/<int:number>/", revisions.revision_detail_view, name="review-revision"),
    path("drafts/<int:pk>/revisions/<int:number>/restore/", revisions.revision_restore_view, name="review-restore"),
    path("drafts/<int:pk>/activity/", revisions.activity_view, name="review-activity"),
]
