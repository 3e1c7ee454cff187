"""URL configuration."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from designer import views
from designer.health import healthz
from designer.throttle import ThrottledAdminAuthenticationForm, ThrottledLoginView
from designer.views import clipboard
from designer.views.dates import date_fix_view, date_rule_view, draft_calendar_view
from designer.views.schedule import roll_forward_view, schedule_view
from designer.views.site import favicon_view
from designer.views.team import password_change_view, team_view
from designer.views.workiva_import import workiva_import_view, workiva_search_view

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
    path("drafts/import/workiva/", workiva_search_view, name="workiva-import"),
    path("drafts/import/workiva/process/", workiva_import_view, name="workiva-import-process"),
    path("drafts/<int:pk>/", views.editor_view, name="draft-editor"),
    path("drafts/<int:pk>/duplicate/", views.draft_duplicate_view, name="draft-duplicate"),
    path("drafts/<int:pk>/delete/", views.draft_delete_view, name="draft-delete"),
    path("drafts/<int:pk>/settings/", views.draft_settings_view, name="draft-settings"),
    path("drafts/<int:pk>/status/", views.draft_status_view, name="draft-status"),
    path("drafts/<int:pk>/undo/", views.undo_view, name="draft-undo"),
    path("drafts/<int:pk>/redo/", views.redo_view, name="draft-redo"),
    path("drafts/<int:pk>/clipboard/", clipboard.nodes_copy_view, name="nodes-copy"),
    path("drafts/<int:pk>/paste/", clipboard.nodes_paste_view, name="nodes-paste"),
    path("drafts/<int:pk>/bulk/", clipboard.bulk_form_view, name="nodes-bulk-form"),
    path("drafts/<int:pk>/bulk/save/", clipboard.bulk_update_view, name="nodes-bulk"),
    path("drafts/<int:pk>/payload/", views.payload_view, name="draft-payload"),
    path("drafts/<int:pk>/payload.json", views.payload_download_view, name="draft-payload-download"),
    path("drafts/<int:pk>/calendar/", draft_calendar_view, name="draft-calendar"),
    path("drafts/<int:pk>/dates/fix/", date_fix_view, name="date-fix"),
    path("drafts/<int:pk>/nodes/<uuid:key>/date-rule/", date_rule_view, name="date-rule"),
    path("drafts/<int:pk>/schedule/", schedule_view, name="draft-schedule"),
    path("drafts/<int:pk>/next-period/", roll_forward_view, name="draft-roll-forward"),
    path("drafts/<int:pk>/nodes/add/", views.node_add_view, name="node-add"),
    path("drafts/<int:pk>/nodes/move-many/", views.nodes_move_view, name="nodes-move"),
    path("drafts/<int:pk>/nodes/delete-many/", views.nodes_delete_view, name="nodes-delete"),
    path("drafts/<int:pk>/outline/index.json", views.outline_index_view, name="outline-index"),
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
    path("", include("directory.urls")),
    path("", include("publishing.urls")),
    path("", include("gallery.urls")),
    path("", include("checklists.urls")),
    path("", include("live.urls")),
]
if settings.WORKIVA_SANDBOX:
    urlpatterns.append(path("sandbox/", include("processes_api.sandbox.urls")))
