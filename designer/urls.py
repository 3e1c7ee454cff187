"""URL configuration."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from designer.health import healthz
from designer.throttle import ThrottledAdminAuthenticationForm, ThrottledLoginView

admin.site.login_form = ThrottledAdminAuthenticationForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("designer.api_urls")),
    path("login/", ThrottledLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", healthz, name="healthz"),
    path("", include("designer.review_urls")),
    path("", include("processes_api.urls")),
]
if settings.WORKIVA_SANDBOX:
    urlpatterns.append(path("sandbox/", include("processes_api.sandbox.urls")))
