"""URL configuration."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from designer import views
from designer.health import healthz
from designer.throttle import ThrottledAdminAuthenticationForm, ThrottledLoginView
from designer.views.site import favicon_view
from designer.views.team import password_change_view, team_view

admin.site.login_form = ThrottledAdminAuthenticationForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("api/", include("api.legacy_urls")),
    path("login/", ThrottledLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.draft_list_view, name="draft-list"),
    path("drafts/new/", views.draft_create_view, name="draft-create"),
    path("drafts/import/", views.draft_import_view, name="draft-import"),
    path("drafts/<int:pk>/", views.editor_view, name="draft-editor"),
    path("drafts/<int:pk>/duplicate/", views.draft_duplicate_view, name="draft-duplicate"),
    path("drafts/<int:pk>/delete/", views.draft_delete_view, name="draft-delete"),
    path("drafts/<int:pk>/settings/", views.draft_settings_view, name="draft-settings"),
    path("drafts/<int:pk>/status/", views.draft_status_view, name="draft-status"),
    path("drafts/<int:pk>/undo/", views.undo_delete_view, name="undo-delete"),
    path("drafts/<int:pk>/payload/", views.payload_view, name="draft-payload"),
    path("drafts/<int:pk>/payload.json", views.payload_download_view, name="draft-payload-download"),
    path("drafts/<int:pk>/nodes/add/", views.node_add_view, name="node-add"),
    path("drafts/<int:pk>/nodes/<uuid:key>/", views.node_detail_view, name="node-detail"),
    path("drafts/<int:pk>/nodes/<uuid:key>/edit/", views.node_edit_view, name="node-edit"),
    path("drafts/<int:pk>/nodes/<uuid:key>/move/", views.node_move_view, name="node-move"),
    path("drafts/<int:pk>/nodes/<uuid:key>/duplicate/", views.node_duplicate_view, name="node-duplicate"),
    path("drafts/<int:pk>/nodes/<uuid:key>/delete/", views.node_delete_view, name="node-delete"),
    path("team/", team_view, name="team"),
    path("account/password/", password_change_view, name="password-change"),
    path("account/tokens/", include("api.page_urls")),
    path("favicon.ico", favicon_view, name="favicon"),
    path("healthz", healthz, name="healthz"),
    path("", include("designer.review_urls")),
    path("", include("publishing.urls")),
]
if settings.WORKIVA_SANDBOX:
    urlpatterns.append(path("sandbox/", include("processes_api.sandbox.urls")))
