"""Copy the concept results of the scores stored so far out of their reports into rows.

The same rows `practice.answers.concept_results.record_concept_results` writes for every new
score; a copy of that logic lives here because a migration must not depend on code that may
change later. Reads the scores in keyset-paginated chunks, so memory stays flat however many
there are.
"""

from django.db import migrations

CHUNK = 2000


def backfill(apps, schema_editor):
    Score = apps.get_model("answers", "Score")
    ConceptResult = apps.get_model("answers", "ConceptResult")
    database = schema_editor.connection.alias
    last_id = 0
    while True:
        chunk = list(
            Score.objects.using(database)
            .filter(pk__gt=last_id)
            .order_by("pk")
            .values_list("pk", "report")[:CHUNK]
        )
        if not chunk:
            return
        last_id = chunk[-1][0]
        ConceptResult.objects.using(database).bulk_create(
            [
                ConceptResult(
                    score_id=score_id,
                    label=concept["label"],
                    matched=bool(concept.get("matched")),
                    credit=float(concept.get("credit") or 0),
                    required=bool(concept.get("required")),
                )
                for score_id, report in chunk
                for concept in ((report or {}).get("concepts") or ())
                if concept.get("label")
            ],
            batch_size=CHUNK,
        )


def forget(apps, schema_editor):
    apps.get_model("answers", "ConceptResult").objects.using(
        schema_editor.connection.alias
    ).all().delete()


class Migration(migrations.Migration):
    dependencies = [("answers", "0002_concept_results")]

    operations = [migrations.RunPython(backfill, forget)]
