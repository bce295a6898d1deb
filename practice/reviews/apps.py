from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "practice.reviews"
    label = "reviews"
