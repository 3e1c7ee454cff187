"""The publishing app: sends drafts to Workiva and follows what became of them."""

from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = "Publishing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from designer import panels
        from publishing.panels import publish_area, workiva_problems

        panels.register(publish_area)
        panels.register_problem_source(workiva_problems)
