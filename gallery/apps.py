"""The template gallery: drafts saved as read-only, versioned templates, and new drafts made from them."""

from django.apps import AppConfig


class GalleryConfig(AppConfig):
    name = "gallery"
    verbose_name = "Template gallery"
    default_auto_field = "django.db.models.BigAutoField"
