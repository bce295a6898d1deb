"""Reads of answers shared by several pages."""

from django.db.models import (
    Case,
    ExpressionWrapper,
    F,
    FilteredRelation,
    FloatField,
    Q,
    QuerySet,
    When,
)
from django.db.models.functions import Cast, Coalesce

from .models import Answer


def with_marks(answers: QuerySet[Answer]) -> QuerySet[Answer]:
    """Annotate the current automatic score, the mentor's marks and the marks that count.

    `marks` is the mentor's final mark once a review is finished, else the automatic total;
    `percent` is `marks` as a percentage of the maximum.
    """
    return answers.annotate(
        current=FilteredRelation("scores", condition=Q(scores__is_current=True)),
        auto_marks=F("current__total"),
        mentor_marks=Case(
            When(review__reviewed_at__isnull=False, then=F("review__final_marks")),
            output_field=FloatField(),
        ),
        marks=Coalesce(F("mentor_marks"), F("auto_marks"), output_field=FloatField()),
        max_marks=Coalesce("current__max_marks", "prompt__marks"),
        percent=ExpressionWrapper(
            F("marks") * 100.0 / Cast("max_marks", FloatField()), output_field=FloatField()
        ),
    )
