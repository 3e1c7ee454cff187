"""Template gallery routes."""

from __future__ import annotations

from django.urls import path

from gallery import views

urlpatterns = [
    path("templates/", views.gallery_view, name="gallery"),
    path("templates/<int:pk>/", views.template_detail_view, name="gallery-template"),
    path("drafts/<int:pk>/save-template/", views.template_save_view, name="gallery-save"),
]
