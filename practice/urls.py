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

handler400 = "practice.errors.bad_request"
handler403 = "practice.errors.forbidden"
handler404 = "practice.errors.not_found"
handler500 = "practice.errors.server_error"

admin.site.site_header = "Answer Practice administration"
admin.site.site_title = "Answer Practice admin"
admin.site.index_title = "Questions, rubrics, answers and reviews"
