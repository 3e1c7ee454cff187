"""The directory app: the organization's users and files, cached from Workiva's platform API."""

from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = "Workiva directory"
    default_auto_field = "django.db.models.BigAutoField"
