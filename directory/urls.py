"""The directory's routes."""

from __future__ import annotations

from django.urls import path

from directory import views

urlpatterns = [
    path("directory/", views.directory_view, name="directory"),
    path("directory/refresh/", views.refresh_view, name="directory-refresh"),
    path("directory/search/users/", views.users_search_view, name="directory-users"),
    path("directory/search/files/", views.files_search_view, name="directory-files"),
    path("directory/search/sections/", views.sections_search_view, name="directory-sections"),
]
