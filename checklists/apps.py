from __future__ import annotations

from django.apps import AppConfig


class ChecklistsConfig(AppConfig):
    name = "checklists"
    verbose_name = "Checklists"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from checklists.views import export_panel
        from designer import panels

        panels.register(export_panel)
