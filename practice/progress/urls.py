from django.urls import path

from . import views

urlpatterns = [
    path("progress/", views.progress, name="progress"),
    path("progress/export.csv", views.export_csv, name="progress_export"),
]
