"""The request type the designer's views receive: logged in, with django-htmx's details."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class Request(HttpRequest):
    htmx: HtmxDetails
    user: User  # every view is behind login_required
