"""The designer app: drafts and their trees, sharing, review, revisions, activity, the editor."""

from django.apps import AppConfig


class DesignerConfig(AppConfig):
    name = "designer"
    verbose_name = "Process Designer"

    def ready(self) -> None:
        from designer import panels
        from designer.datelint import calendar_problems
        from designer.services.bulk import register_date_shifter
        from designer.services.dates import business_day_shifter

        panels.register_tree_problem_source(calendar_problems)
        register_date_shifter(business_day_shifter)
