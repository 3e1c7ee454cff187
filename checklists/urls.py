from django.urls import path

from checklists import views

urlpatterns = [
    path("checklists/upload/", views.upload_view, name="checklist-upload"),
    path("checklists/<int:pk>/", views.preview_view, name="checklist-preview"),
    path("checklists/<int:pk>/create/", views.create_view, name="checklist-create"),
    path("drafts/<int:pk>/checklist.xlsx", views.export_view, name="draft-checklist-export"),
    path("drafts/<int:pk>/book/", views.book_view, name="draft-book"),
]
