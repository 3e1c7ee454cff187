"""The processes_api app: schema, payload translation, lint, client, submissions, sandbox."""

from django.apps import AppConfig


class ProcessesApiConfig(AppConfig):
    name = "processes_api"
    verbose_name = "Workiva Processes API"
