from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_delete


class ReviewsConfig(AppConfig):
    name = "practice.reviews"
    label = "reviews"

    def ready(self):
        from practice.answers.models import Answer
        from practice.catalog.models import Prompt, Topic

        from . import forms, queries, stats
        from .models import Review

        # However a review goes (the admin, or with its answer or student), its part of the
        # agreement totals goes with it.
        pre_delete.connect(stats.forget_review, sender=Review, dispatch_uid="forget_review")
        # The queue's topic and question selects are cached until a topic or prompt changes.
        for model in (Topic, Prompt):
            for signal in (post_save, post_delete):
                signal.connect(
                    forms.forget_catalogue_choices,
                    sender=model,
                    dispatch_uid=f"queue_choices_{model.__name__}_{signal is post_save}",
                )
        # An answer enters the queue when saved as submitted and leaves it when its review is
        # saved (which marks it reviewed) or when it is deleted.
        for model in (Answer, Review):
            for signal in (post_save, post_delete):
                signal.connect(
                    queries.forget_awaiting_count,
                    sender=model,
                    dispatch_uid=f"awaiting_count_{model.__name__}_{signal is post_save}",
                )
