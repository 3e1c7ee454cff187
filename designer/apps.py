"""The designer app: drafts and their trees, sharing, review, revisions, activity, the editor."""

from django.apps import AppConfig


class DesignerConfig(AppConfig):
    name = "designer"
    verbose_name = "Process Designer"

    def ready(self) -> None:
        from designer import panels
        from designer.datelint import calendar_problems

        panels.register_tree_problem_source(calendar_problems)
