from django.apps import AppConfig
from django.db.models.signals import pre_delete


class ReviewsConfig(AppConfig):
    name = "practice.reviews"
    label = "reviews"

    def ready(self):
        from . import stats
        from .models import Review

        # However a review goes (the admin, or with its answer or student), its part of the
        # agreement totals goes with it.
        pre_delete.connect(stats.forget_review, sender=Review, dispatch_uid="forget_review")
