"""The designer app: drafts and their trees, the editor, review."""

from django.apps import AppConfig


class DesignerConfig(AppConfig):
    name = "designer"
    verbose_name = "Process Designer"
