"""The processes_api app: what this designer knows of the Workiva Processes API.

It holds no models of its own (its migrations only record that the submission and sandbox models
moved to ``publishing`` and ``processes_api.sandbox``) and imports nothing from the apps above it.
"""

from django.apps import AppConfig


class ProcessesApiConfig(AppConfig):
    name = "processes_api"
    verbose_name = "Workiva Processes API"
