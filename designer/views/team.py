"""The team page (staff list everyone who can log in and add a teammate) and changing one's password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods

from designer.errors import AccountError
from designer.services.team import teammate_create
from designer.views.http import Request


@login_required
@require_http_methods(["GET", "POST"])
def team_view(request: Request) -> HttpResponse:
    if not request.user.is_staff:
        raise PermissionDenied("Only administrators manage the team.")
    values = {name: request.POST.get(name, "") for name in ("username", "email")}
    error = ""
    if request.method == "POST":
        try:
            user = teammate_create(
                actor=request.user,
                username=values["username"],
                email=values["email"],
                password=request.POST.get("password", ""),
            )
        except AccountError as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                f"Added {user.get_username()}. Give them the temporary password; after logging in they change it under their name at the top.",
            )
            return redirect("team")
    users = get_user_model()._default_manager.order_by("username")
    context = {"users": users, "values": values, "error": error}
    return render(request, "designer/team.html", context, status=422 if error else 200)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password (a teammate's first step after logging in with a temporary one)."""

    template_name = "registration/password_change.html"
    success_url = reverse_lazy("draft-list")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, "Your password is changed.")
        return response


password_change_view = login_required(PasswordChangeView.as_view())
