"""The sandbox API's routes, relative to ``/sandbox/``."""

from __future__ import annotations

from django.urls import path

from processes_api.sandbox import views

app_name = "sandbox"
urlpatterns = [
    path("iam/v1/oauth2/token", views.token, name="token"),
    path("processes", views.processes, name="processes"),
    path("processes/<str:process_id>", views.process, name="process"),
    path("processes/<str:process_id>/validation", views.validation, name="validation"),
    path("processes/<str:process_id>/run", views.process_run_start, name="process-run-start"),
    path("processRuns/<str:run_id>", views.process_run, name="process-run"),
    path("organizations/<str:organization_id>/users", views.users, name="users"),
    path("files", views.files, name="files"),
    path("documents/<str:file_id>/sections", views.sections, name="sections"),
    path("spreadsheets/<str:file_id>/sheets", views.sheets, name="sheets"),
    path("view/processes/<str:process_id>", views.process_page, name="process-page"),
]
