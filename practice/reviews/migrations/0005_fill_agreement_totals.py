"""Count the reviews finished so far into the agreement totals.

The same figures `practice.reviews.stats.recount_agreement` keeps for every review finished
from now on: each finished review's final marks against its answer's current score, and its
concept judgements against that score's report. A copy of that logic lives here because a
migration must not depend on code that may change later. Reads the reviews in keyset-paginated
chunks, and the wide report only of reviews that judged concepts, so memory stays flat.
"""

from collections import defaultdict

from django.db import migrations

CHUNK = 500


def outcomes(judgements, report):
    matched = {c["label"]: bool(c["matched"]) for c in (report or {}).get("concepts", [])}
    result = {}
    for label, credited in judgements.items():
        if label in matched:
            if credited == matched[label]:
                result[label] = "agreed"
            else:
                result[label] = "credited" if credited else "withdrawn"
    return result


def fill(apps, schema_editor):
    database = schema_editor.connection.alias
    Review = apps.get_model("reviews", "Review")
    Score = apps.get_model("answers", "Score")
    CountedReview = apps.get_model("reviews", "CountedReview")
    PromptTotal = apps.get_model("reviews", "PromptAgreementTotal")
    ConceptTotal = apps.get_model("reviews", "ConceptAgreementTotal")
    prompts = defaultdict(lambda: [0, 0.0, 0.0, 0])  # reviews, sum, absolute sum, within one
    concepts = defaultdict(lambda: defaultdict(int))
    last_id = 0
    while True:
        chunk = list(
            Review.objects.using(database)
            .filter(pk__gt=last_id, reviewed_at__isnull=False)
            .order_by("pk")
            .values_list("pk", "answer_id", "answer__prompt_id", "final_marks", "concept_judgements")[
                :CHUNK
            ]
        )
        if not chunk:
            break
        last_id = chunk[-1][0]
        current = Score.objects.using(database).filter(
            answer_id__in=[row[1] for row in chunk], is_current=True
        )
        totals = dict(current.values_list("answer_id", "total"))
        judged = [row[1] for row in chunk if row[4]]
        reports = dict(current.filter(answer_id__in=judged).values_list("answer_id", "report"))
        counted = []
        for review_id, answer_id, prompt_id, final_marks, judgements in chunk:
            if answer_id not in totals:
                continue
            difference = final_marks - totals[answer_id]
            judged_outcomes = outcomes(judgements, reports.get(answer_id)) if judgements else {}
            counted.append(
                CountedReview(
                    review_id=review_id,
                    prompt_id=prompt_id,
                    difference=difference,
                    concept_outcomes=judged_outcomes,
                )
            )
            sums = prompts[prompt_id]
            sums[0] += 1
            sums[1] += difference
            sums[2] += abs(difference)
            sums[3] += abs(difference) <= 1
            for label, outcome in judged_outcomes.items():
                concepts[(prompt_id, label)]["judged"] += 1
                concepts[(prompt_id, label)][outcome] += 1
        CountedReview.objects.using(database).bulk_create(counted)
    PromptTotal.objects.using(database).bulk_create(
        PromptTotal(
            prompt_id=prompt_id,
            reviews=reviews,
            difference_sum=difference_sum,
            absolute_difference_sum=absolute_sum,
            within_one_mark=within,
        )
        for prompt_id, (reviews, difference_sum, absolute_sum, within) in prompts.items()
    )
    ConceptTotal.objects.using(database).bulk_create(
        ConceptTotal(prompt_id=prompt_id, label=label, **counts)
        for (prompt_id, label), counts in concepts.items()
    )


def forget(apps, schema_editor):
    database = schema_editor.connection.alias
    for name in ("CountedReview", "PromptAgreementTotal", "ConceptAgreementTotal"):
        apps.get_model("reviews", name).objects.using(database).all().delete()


class Migration(migrations.Migration):
    dependencies = [("reviews", "0004_agreement_totals"), ("answers", "0003_backfill_concept_results")]

    operations = [migrations.RunPython(fill, forget)]
