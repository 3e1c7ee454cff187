"""The sandbox app: a local stand-in of the Workiva Processes API."""

from django.apps import AppConfig


class SandboxConfig(AppConfig):
    name = "processes_api.sandbox"
    label = "sandbox"
    verbose_name = "Workiva API sandbox"
    default_auto_field = "django.db.models.BigAutoField"
