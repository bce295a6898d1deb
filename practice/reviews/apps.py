from django.apps import AppConfig
from django.db.models.signals import pre_delete


class ReviewsConfig(AppConfig):
    name = "practice.reviews"
    label = "reviews"

    def ready(self):
        from practice.answers.models import Answer
        from practice.caching import on_save_or_delete
        from practice.catalog.models import Prompt, Topic

        from . import forms, queries, stats
        from .models import Review

        # However a review goes (the admin, or with its answer or student), its part of the
        # agreement totals goes with it.
        pre_delete.connect(stats.forget_review, sender=Review, dispatch_uid="forget_review")
        # The queue's topic and question selects are cached until a topic or prompt changes.
        on_save_or_delete(forms.forget_catalogue_choices, Topic, Prompt, uid="queue_choices")
        # An answer enters the queue when saved as submitted and leaves it when its review is
        # saved (which marks it reviewed) or when it is deleted.
        on_save_or_delete(queries.forget_awaiting_count, Answer, Review, uid="awaiting_count")
