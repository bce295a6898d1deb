"""The concept results of scores as rows, for aggregates across many answers.

Whatever stores a Score calls `record_concept_results` with it, in the same transaction:
`services.score_answer`, the batched rescore and the demo data generator.
"""

from collections.abc import Iterable

from django.db import connections, router

from .models import ConceptResult, Score

COLUMNS = ("score", "label", "matched", "credit", "required")


def concept_rows(score: Score) -> list[tuple]:
    """(score id, label, matched, credit, required) for each labelled concept of the report."""
    concepts = (score.report or {}).get("concepts") or ()
    return [
        (
            score.pk,
            concept["label"],
            bool(concept.get("matched")),
            float(concept.get("credit") or 0),
            bool(concept.get("required")),
        )
        for concept in concepts
        if concept.get("label")
    ]


def record_concept_results(scores: Iterable[Score]) -> int:
    """Store the concept results of saved `scores`; returns the number of rows written.

    One parameterised INSERT run for all rows rather than `bulk_create`: a rescore writes
    about ten rows per answer, and building and preparing ten model instances per answer
    cost more than a quarter of the time a rescore may take per answer (measured: 55 µs a
    row through bulk_create, 9 µs this way). The rows are plain values, with nothing for the
    model layer to add: no defaults, signals or generated fields.
    """
    rows = [row for score in scores for row in concept_rows(score)]
    if not rows:
        return 0
    meta = ConceptResult._meta
    connection = connections[router.db_for_write(ConceptResult)]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in COLUMNS)
    placeholders = ", ".join(["%s"] * len(COLUMNS))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders})", rows
        )
    return len(rows)
