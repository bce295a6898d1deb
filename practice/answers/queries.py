"""Reads of answers shared by several pages."""

from dataclasses import dataclass

from django.db.models import (
    Case,
    ExpressionWrapper,
    F,
    FilteredRelation,
    FloatField,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from practice.prepared import PreparedQuery, model_field_names

from .models import Answer, Score


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


@dataclass(frozen=True)
class WritingState:
    """What the write page shows of one student's answers to one prompt."""

    draft: Answer | None  # the open draft: its text, version, seconds and word count only
    submissions: int
    last_submission_id: int | None  # the latest submission, whose feedback the page links


# The fields the write page reads of each answer.
_DRAFT_FIELDS = model_field_names(
    Answer, {"id", "status", "text", "draft_version", "seconds_spent", "word_count"}
)


def _writing_rows(student_id: int, prompt_id: int) -> QuerySet:
    # Only the draft's text is read: the submissions' texts are not, however many there are.
    draft_text = Case(
        When(status=Answer.Status.DRAFT, then=F("text")),
        default=Value(""),
        output_field=TextField(),
    )
    return (
        Answer.objects.filter(student_id=student_id, prompt_id=prompt_id)
        .annotate(draft_text=draft_text)
        .order_by("-submitted_at", "-id")
        .values_list(*("draft_text" if name == "text" else name for name in _DRAFT_FIELDS))
    )


# The write page is the page served most; building this queryset cost more than running it.
_WRITING_ROWS = PreparedQuery(_writing_rows, arity=2)


def writing_state(student, prompt) -> WritingState:
    """The student's open draft of the prompt and their submissions of it: one query."""
    draft = None
    submissions = 0
    last_submission_id = None
    id_at, status_at = _DRAFT_FIELDS.index("id"), _DRAFT_FIELDS.index("status")
    for row in _WRITING_ROWS.rows(student.pk, prompt.pk):
        if row[status_at] == Answer.Status.DRAFT:
            draft = Answer.from_db("default", _DRAFT_FIELDS, row)
        else:
            submissions += 1
            if last_submission_id is None:
                last_submission_id = row[id_at]
    return WritingState(draft, submissions, last_submission_id)


# --------------------------------------------------------------------------- feedback page
# Each feedback page runs these; building them cost more than running them.

_SUBMITTED_ANSWER_OF = PreparedQuery(
    lambda answer_id, student_id: (
        Answer.objects.select_related("prompt__topic")
        .exclude(status=Answer.Status.DRAFT)
        .filter(pk=answer_id, student_id=student_id)
    ),
    arity=2,
)
# Newest first, as Score orders itself.
_LATEST_TWO_SCORES = PreparedQuery(lambda answer_id: Score.objects.filter(answer_id=answer_id)[:2])


def submitted_answer_of(answer_id: int, student) -> Answer | None:
    """The student's submitted answer `answer_id`, with its prompt and topic; None if it is
    not theirs, does not exist or is a draft."""
    return _SUBMITTED_ANSWER_OF.first(answer_id, student.pk)


def latest_two_scores(answer: Answer) -> list[Score]:
    """The answer's newest two scores: the current one and, after a rescore, the one it
    replaced."""
    return _LATEST_TWO_SCORES.objects(answer.pk)
