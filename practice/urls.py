from django.contrib import admin
from django.urls import include, path

from practice.answers.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("practice.accounts.urls")),
    path("admin/", admin.site.urls),
    path("mentor/", include("practice.reviews.urls")),
    path("", include("practice.progress.urls")),
    path("", include("practice.answers.urls")),
]
