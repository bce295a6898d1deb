"""Agreement between the engine and mentors: the running totals and the statistics they show.

The statistics page compares each finished review's final marks with the answer's *current*
automatic score (a rescore after a rubric edit moves them, which is how a fixed rubric shows
its better agreement), and each concept the mentor judged with the current report's verdict.
Aggregating every review on each view would grow with the reviews, so the sums are kept in
`PromptAgreementTotal` and `ConceptAgreementTotal`, and what each review adds to them in its
`CountedReview`. Whatever changes a review's final marks or judgements, or the current score
of a reviewed answer, calls `recount_agreement` in the same transaction: submitting a review
(`services.submit_review`), the batched rescore, and the bulk loaders of demo and test data.
Deleting a review (directly or with its answer or student) takes its part back out.

Additions go through F() expressions, so two mentors finishing reviews of the same question
at once both count: each UPDATE waits for the other's row lock and adds to what it committed.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F

from practice.answers.models import Score

from .models import ConceptAgreementTotal, CountedReview, PromptAgreementTotal, Review

# An item of the rubric whose share of agreement falls below this stands out as weak.
WEAK_AGREEMENT = 0.7

AGREED, CREDITED, WITHDRAWN = "agreed", "credited", "withdrawn"


def concept_outcomes(judgements: dict, report_concepts: list[dict]) -> dict[str, str]:
    """{label: AGREED | CREDITED | WITHDRAWN} for each judged concept the report has.

    A judgement on a label the report lacks is left out: the rubric changed since, and the
    judgement no longer lines up with any verdict of the engine.
    """
    matched = {c["label"]: bool(c["matched"]) for c in report_concepts}
    outcomes = {}
    for label, credited in judgements.items():
        if label not in matched:
            continue
        if credited == matched[label]:
            outcomes[label] = AGREED
        else:
            outcomes[label] = CREDITED if credited else WITHDRAWN
    return outcomes


# Keeping the totals -----------------------------------------------------------------------


@dataclass
class _PromptDelta:
    reviews: int = 0
    difference_sum: float = 0.0
    absolute_difference_sum: float = 0.0
    within_one_mark: int = 0

    def add(self, difference: float, sign: int) -> None:
        self.reviews += sign
        self.difference_sum += sign * difference
        self.absolute_difference_sum += sign * abs(difference)
        self.within_one_mark += sign * (abs(difference) <= 1)

    def is_zero(self) -> bool:
        return not (
            self.reviews
            or self.difference_sum
            or self.absolute_difference_sum
            or self.within_one_mark
        )


@dataclass
class _Deltas:
    """Changes to the totals, summed over the reviews being recounted before any is written."""

    prompts: dict[int, _PromptDelta] = field(default_factory=lambda: defaultdict(_PromptDelta))
    concepts: dict[tuple[int, str], dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )

    def add(self, counted: CountedReview, sign: int) -> None:
        """Add (sign 1) or take out (sign -1) what `counted` contributes."""
        self.prompts[counted.prompt_id].add(counted.difference, sign)
        for label, outcome in counted.concept_outcomes.items():
            concept = self.concepts[(counted.prompt_id, label)]
            concept["judged"] += sign
            concept[outcome] += sign

    def write(self) -> None:
        # A fixed order of rows keeps concurrent writers from locking them in opposite orders.
        for prompt_id, delta in sorted(self.prompts.items()):
            if not delta.is_zero():
                _add_to_row(
                    PromptAgreementTotal,
                    {"prompt_id": prompt_id},
                    reviews=delta.reviews,
                    difference_sum=delta.difference_sum,
                    absolute_difference_sum=delta.absolute_difference_sum,
                    within_one_mark=delta.within_one_mark,
                )
        for (prompt_id, label), counts in sorted(self.concepts.items()):
            if any(counts.values()):
                _add_to_row(
                    ConceptAgreementTotal, {"prompt_id": prompt_id, "label": label}, **counts
                )


def _add_to_row(model, key: dict, **amounts) -> None:
    """Add `amounts` to the totals row `key`, creating it at zero first if there is none."""
    additions = {name: F(name) + amount for name, amount in amounts.items()}
    if model.objects.filter(**key).update(**additions):
        return
    # ignore_conflicts: a concurrent first writer may insert the row between our two
    # statements; our UPDATE then adds to the row it committed.
    model.objects.bulk_create([model(**key)], ignore_conflicts=True)
    model.objects.filter(**key).update(**additions)


def recount_agreement(answer_ids: Iterable[int]) -> None:
    """Bring the totals in line with the finished reviews of these answers as they are now:
    their final marks and judgements against their answers' current scores.

    Call it in the transaction that changed them. Each review's previous contribution is taken
    out and its present one added, so a review counts exactly once however often it is
    revised or its answer rescored; a review whose figures did not change writes nothing.
    """
    answer_ids = list(answer_ids)
    with transaction.atomic():
        reviews = list(
            Review.objects.select_for_update(of=("self",))
            .filter(answer_id__in=answer_ids, reviewed_at__isnull=False)
            .values_list(
                "pk", "answer_id", "answer__prompt_id", "final_marks", "concept_judgements"
            )
        )
        if not reviews:
            return
        previous = {c.pk: c for c in CountedReview.objects.filter(pk__in=[r[0] for r in reviews])}
        current = _contributions(reviews)
        deltas = _Deltas()
        changed, gone = [], []
        for review_id, *_ in reviews:
            before, now = previous.get(review_id), current.get(review_id)
            if _same(before, now):
                continue
            if before is not None:
                deltas.add(before, -1)
            if now is None:
                gone.append(review_id)
            else:
                deltas.add(now, 1)
                changed.append(now)
        deltas.write()
        if gone:
            CountedReview.objects.filter(pk__in=gone).delete()
        if changed:
            CountedReview.objects.bulk_create(
                changed,
                update_conflicts=True,
                unique_fields=["review"],
                update_fields=["prompt", "difference", "concept_outcomes"],
            )


def _contributions(reviews: list[tuple]) -> dict[int, CountedReview]:
    """What each of `reviews` (rows of recount_agreement) contributes, by review id; reviews
    whose answer has no current score contribute nothing."""
    answer_ids = [answer_id for _, answer_id, *_ in reviews]
    current = Score.objects.filter(answer_id__in=answer_ids, is_current=True).order_by()
    totals = dict(current.values_list("answer_id", "total"))
    # Only reviews with judgements need the report, the wide part of a score row.
    judged = [answer_id for _, answer_id, _, _, judgements in reviews if judgements]
    reports = dict(current.filter(answer_id__in=judged).values_list("answer_id", "report"))
    contributions = {}
    for review_id, answer_id, prompt_id, final_marks, judgements in reviews:
        if answer_id not in totals:
            continue
        concepts = (reports.get(answer_id) or {}).get("concepts", [])
        contributions[review_id] = CountedReview(
            review_id=review_id,
            prompt_id=prompt_id,
            difference=final_marks - totals[answer_id],
            concept_outcomes=concept_outcomes(judgements or {}, concepts) if judgements else {},
        )
    return contributions


def _same(before: CountedReview | None, now: CountedReview | None) -> bool:
    if before is None or now is None:
        return before is now
    return (before.prompt_id, before.difference, before.concept_outcomes) == (
        now.prompt_id,
        now.difference,
        now.concept_outcomes,
    )


def forget_review(sender, instance: Review, **kwargs) -> None:
    """pre_delete receiver: take a deleted review's contribution out of the totals.

    Runs inside the deletion's transaction, also when the review goes with its answer or
    student, before the cascade removes its CountedReview.
    """
    counted = CountedReview.objects.filter(pk=instance.pk).first()
    if counted is not None:
        deltas = _Deltas()
        deltas.add(counted, -1)
        deltas.write()


# Reading the statistics -------------------------------------------------------------------


@dataclass(frozen=True)
class PromptAgreement:
    prompt_id: int
    slug: str
    question: str
    topic: str
    max_marks: int
    reviews: int
    mean_difference: float
    mean_absolute_difference: float
    within: int  # reviews whose final marks are within one mark of the engine's
    within_one: float  # their share

    @property
    def weak(self) -> bool:
        return self.within_one < WEAK_AGREEMENT


def prompt_agreement() -> list[PromptAgreement]:
    """Per prompt: how far mentors move the engine's marks. Weakest agreement first, so the
    prompts whose rubric needs attention lead the table."""
    rows = (
        PromptAgreementTotal.objects.filter(reviews__gt=0)
        .values_list(
            "prompt_id",
            "prompt__slug",
            "prompt__question",
            "prompt__topic__title",
            "prompt__marks",
            "reviews",
            "difference_sum",
            "absolute_difference_sum",
            "within_one_mark",
        )
        .order_by()
    )
    agreements = [
        PromptAgreement(
            prompt_id=prompt_id,
            slug=slug,
            question=question,
            topic=topic,
            max_marks=max_marks,
            reviews=reviews,
            mean_difference=difference_sum / reviews,
            mean_absolute_difference=absolute_difference_sum / reviews,
            within=within,
            within_one=within / reviews,
        )
        for (
            prompt_id,
            slug,
            question,
            topic,
            max_marks,
            reviews,
            difference_sum,
            absolute_difference_sum,
            within,
        ) in rows
    ]
    return sorted(agreements, key=lambda a: (a.within_one, -a.mean_absolute_difference, a.slug))


@dataclass(frozen=True)
class ConceptAgreement:
    prompt_slug: str
    label: str
    judged: int
    agreed: int
    credited: int  # mentor credited what the engine missed: an alias may be missing
    withdrawn: int  # mentor withdrew what the engine matched: an alias may be too loose

    @property
    def agreement(self) -> float:
        return self.agreed / self.judged if self.judged else 1.0

    @property
    def weak(self) -> bool:
        return self.agreement < WEAK_AGREEMENT


def concept_agreement() -> list[ConceptAgreement]:
    """Per rubric concept that mentors judged: how often the engine's verdict matches the
    mentor's judgement. Weakest first."""
    rows = (
        ConceptAgreementTotal.objects.filter(judged__gt=0)
        .values_list("prompt__slug", "label", "judged", "agreed", "credited", "withdrawn")
        .order_by()
    )
    concepts = [ConceptAgreement(*row) for row in rows]
    return sorted(concepts, key=lambda c: (c.agreement, -c.judged, c.prompt_slug, c.label))


def overall_agreement(prompts: list[PromptAgreement] | None = None) -> dict:
    """Totals over all counted reviews, for the summary above the tables; summed from the
    per-prompt rows (pass them if you have them)."""
    prompts = prompt_agreement() if prompts is None else prompts
    reviews = sum(p.reviews for p in prompts)
    difference = sum(p.mean_difference * p.reviews for p in prompts)
    return {
        "reviews": reviews,
        "mean_difference": difference / reviews if reviews else None,
        "within": sum(p.within for p in prompts),
    }


def agreement_statistics() -> dict:
    """Everything the statistics page shows: a handful of small queries whatever the number
    of reviews."""
    prompts = prompt_agreement()
    return {
        "overall": overall_agreement(prompts),
        "prompts": prompts,
        "concepts": concept_agreement(),
        "weak_threshold": WEAK_AGREEMENT,
    }
