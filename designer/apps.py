"""The designer app: drafts and their trees, sharing, review, revisions, activity, the editor."""

from django.apps import AppConfig


class DesignerConfig(AppConfig):
    name = "designer"
    verbose_name = "Process Designer"
