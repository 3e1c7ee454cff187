"""URLs of the review pages, included from ``designer.urls``."""

from django.urls import path

from designer import review_views as views

urlpatterns = [
    path("reviews/", views.inbox, name="review-inbox"),
    path("drafts/<int:pk>/members/", views.members, name="review-members"),
    path("drafts/<int:pk>/members/add/", views.member_add, name="review-member-add"),
    path("drafts/<int:pk>/members/<int:member_pk>/role/", views.member_update, name="review-member-update"),
    path("drafts/<int:pk>/members/<int:member_pk>/remove/", views.member_remove, name="review-member-remove"),
    path("drafts/<int:pk>/transfer/", views.ownership_transfer, name="review-transfer"),
    path("drafts/<int:pk>/gate/", views.gate_set, name="review-gate"),
    path("drafts/<int:pk>/review/", views.review_page, name="review-page"),
    path("drafts/<int:pk>/review/request/", views.review_request_create, name="review-request"),
    path("drafts/<int:pk>/review/approve/", views.review_approve, name="review-approve"),
    path("drafts/<int:pk>/review/changes/", views.review_request_changes, name="review-changes"),
    path("drafts/<int:pk>/comments/", views.comments, name="review-comments"),
    path("drafts/<int:pk>/comments/add/", views.comment_create, name="review-comment-add"),
    path("drafts/<int:pk>/comments/<int:comment_pk>/resolve/", views.comment_resolve, name="review-comment-resolve"),
    path("drafts/<int:pk>/comments/<int:comment_pk>/reopen/", views.comment_reopen, name="review-comment-reopen"),
    path("drafts/<int:pk>/revisions/", views.revisions, name="review-revisions"),
    path("drafts/<int:pk>/revisions/save/", views.revision_save_point, name="review-save-point"),
    path("drafts/<int:pk>/revisions/diff/", views.revision_diff, name="review-diff"),
    path("drafts/<int:pk>/revisions/<int:number>/", views.revision_detail, name="review-revision"),
    path("drafts/<int:pk>/revisions/<int:number>/restore/", views.revision_restore, name="review-restore"),
    path("drafts/<int:pk>/activity/", views.activity, name="review-activity"),
]
