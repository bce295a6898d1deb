"""What changed between a re-attempt and the previous attempt at the same prompt.

The feedback page of a re-attempt shows the marks per component before and after, the rubric
concepts gained and lost, and a word-level diff of the two texts. Three queries whatever the
history: the previous answer, both current scores, both finished reviews.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Subquery

from practice.prepared import PreparedQuery, model_field_names
from practice.reviews.models import Review

from .models import Answer, Score

# difflib is quadratic in the worst case; beyond this many words per text the page shows the
# marks and concepts but skips the word-by-word comparison.
MAX_DIFF_WORDS = 4000

_TOKEN = re.compile(r"\S+\s*")


@dataclass(frozen=True)
class MarkChange:
    name: str
    before: float | None
    after: float | None
    unit: str  # "marks" or "%"
    maximum: int | None = None

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        if self.unit == "%":
            # Whole points, from the whole percentages shown beside it: 96% -> 90% is 6.
            return float(round(self.after) - round(self.before))
        return self.after - self.before

    @property
    def direction(self) -> str:
        if self.delta is None:
            return "unknown"
        return "up" if self.delta > 0 else "down" if self.delta < 0 else "same"

    @property
    def magnitude(self) -> float | None:
        return None if self.delta is None else abs(self.delta)


@dataclass(frozen=True)
class Segment:
    kind: str  # "equal", "insert" or "delete"
    text: str


@dataclass(frozen=True)
class Changes:
    previous: Answer
    marks: list[MarkChange]
    gained: list[str]
    lost: list[str]
    rubric_changed: bool
    segments: list[Segment] | None  # None when the texts are too long to compare
    words_added: int
    words_removed: int


# What the comparison reads of the previous attempt.
_PREVIOUS_FIELDS = model_field_names(
    Answer, {"id", "student_id", "prompt_id", "status", "text", "submitted_at"}
)


def _previous_rows(answer_id: int, student_id: int, prompt_id: int) -> QuerySet:
    this = Answer.objects.filter(pk=answer_id)
    this_time = Subquery(this.values("submitted_at")[:1])
    earlier = Q(submitted_at__lt=this_time) | Q(submitted_at=this_time, id__lt=answer_id)
    return (
        Answer.objects.filter(earlier, student_id=student_id, prompt_id=prompt_id)
        .exclude(status=Answer.Status.DRAFT)
        .order_by("-submitted_at", "-id")
        .values_list(*_PREVIOUS_FIELDS)[:1]
    )


# Every feedback page of a re-attempt runs this; building it cost several times running it.
_PREVIOUS = PreparedQuery(_previous_rows, arity=3)


def previous_attempt(answer: Answer) -> Answer | None:
    """The student's latest submitted answer to the same prompt before this one."""
    if answer.submitted_at is None:
        return None
    rows = _PREVIOUS.rows(answer.pk, answer.student_id, answer.prompt_id)
    return Answer.from_db("default", _PREVIOUS_FIELDS, rows[0]) if rows else None


def _tokens(text: str) -> list[str]:
    """Words with the whitespace that follows them, so joining them gives the text back."""
    leading = text[: len(text) - len(text.lstrip())]
    tokens = _TOKEN.findall(text)
    if leading:
        tokens.insert(0, leading)
    return tokens


def word_diff(before: str, after: str) -> list[Segment]:
    """The word-level diff as runs of equal, deleted and inserted text.

    Words are compared without their trailing whitespace, so re-wrapping a line is not a
    change; the whitespace shown is the new text's (or the old text's, for deleted words).
    """
    old, new = _tokens(before), _tokens(after)
    matcher = difflib.SequenceMatcher(
        None, [t.strip() for t in old], [t.strip() for t in new], autojunk=False
    )
    segments: list[Segment] = []

    def add(kind: str, text: str) -> None:
        if not text:
            return
        if segments and not segments[-1].text[-1:].isspace() and not text[:1].isspace():
            # The last word of one text meets a word of the other: keep them apart.
            text = " " + text
        if segments and segments[-1].kind == kind:
            segments[-1] = Segment(kind, segments[-1].text + text)
        else:
            segments.append(Segment(kind, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", "".join(new[j1:j2]))
            continue
        if tag in ("delete", "replace"):
            add("delete", "".join(old[i1:i2]))
        if tag in ("insert", "replace"):
            add("insert", "".join(new[j1:j2]))
    return segments


def _count_words(segments: list[Segment], kind: str) -> int:
    return sum(len(s.text.split()) for s in segments if s.kind == kind)


def _matched(score: Score | None) -> dict[str, bool]:
    if score is None:
        return {}
    return {c["label"]: bool(c.get("matched")) for c in score.report.get("concepts", [])}


def _judged(matched: dict[str, bool], review: Review | None) -> dict[str, bool]:
    """A finished review's concept judgements override the engine's, as on the feedback page."""
    if review is None or not isinstance(review.concept_judgements, dict):
        return matched
    judged = dict(matched)
    for label, value in review.concept_judgements.items():
        if label in judged and isinstance(value, bool):
            judged[label] = value
    return judged


_FINISHED_REVIEWS = PreparedQuery(
    lambda one_id, other_id: Review.objects.filter(
        answer_id__in=[one_id, other_id], reviewed_at__isnull=False, final_marks__isnull=False
    ),
    arity=2,
)
_CURRENT_SCORES = PreparedQuery(
    lambda one_id, other_id: Score.objects.filter(
        answer_id__in=[one_id, other_id], is_current=True
    ),
    arity=2,
)


def _finished_reviews(one: Answer, other: Answer) -> dict[int, Review]:
    return {review.answer_id: review for review in _FINISHED_REVIEWS.objects(one.pk, other.pk)}


def compare_with_previous(answer: Answer) -> Changes | None:
    """The changes since the previous attempt at this prompt, or None for a first attempt."""
    previous = previous_attempt(answer)
    if previous is None:
        return None
    scores = {s.answer_id: s for s in _CURRENT_SCORES.objects(answer.pk, previous.pk)}
    before, after = scores.get(previous.id), scores.get(answer.id)
    reviews = _finished_reviews(answer, previous)
    review_before, review_after = reviews.get(previous.id), reviews.get(answer.id)

    maximum = answer.prompt.marks
    marks = [
        MarkChange(
            "Automatic marks",
            before.total if before else None,
            after.total if after else None,
            "marks",
            maximum,
        )
    ]
    if review_before or review_after:
        marks.append(
            MarkChange(
                "Mentor marks",
                review_before.final_marks if review_before else None,
                review_after.final_marks if review_after else None,
                "marks",
                maximum,
            )
        )
    for name in ("content", "structure", "readability"):
        marks.append(
            MarkChange(
                name.capitalize(),
                getattr(before, name) * 100 if before else None,
                getattr(after, name) * 100 if after else None,
                "%",
            )
        )

    was = _judged(_matched(before), review_before)
    now = _judged(_matched(after), review_after)
    shared = [label for label in now if label in was]  # the current rubric's order
    gained = [label for label in shared if now[label] and not was[label]]
    lost = [label for label in shared if was[label] and not now[label]]
    rubric_changed = bool(before and after and before.rubric_hash != after.rubric_hash)

    too_long = max(len(previous.text.split()), len(answer.text.split())) > MAX_DIFF_WORDS
    segments = None if too_long else word_diff(previous.text, answer.text)
    return Changes(
        previous=previous,
        marks=marks,
        gained=gained,
        lost=lost,
        rubric_changed=rubric_changed,
        segments=segments,
        words_added=_count_words(segments or [], "insert"),
        words_removed=_count_words(segments or [], "delete"),
    )
