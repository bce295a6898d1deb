from django.urls import path

from . import views

app_name = "mentor"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("answers/<int:pk>/", views.review, name="review"),
    path("answers/<int:pk>/review", views.submit_review, name="submit_review"),
    path("answers/<int:pk>/claim", views.claim, name="claim"),
    path("answers/<int:pk>/renew", views.renew, name="renew"),
    path("answers/<int:pk>/release", views.release, name="release"),
    path("comments/", views.comment_bank, name="comment_bank"),
    path("comments/<int:pk>/delete", views.delete_comment, name="delete_comment"),
    path("stats/", views.stats, name="stats"),
    path("reviews.csv", views.reviews_csv, name="reviews_csv"),
]
