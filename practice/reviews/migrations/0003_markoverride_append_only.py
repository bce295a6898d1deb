"""Make the override history append-only in the database itself.

The admin and the services never update a MarkOverride, but a trigger also refuses an UPDATE
from anywhere else (a shell, a future bulk fix), so the history of marks stays trustworthy.
Deleting is still possible through the cascade when an answer or its student is deleted.
"""

from django.db import migrations

SQLITE_CREATE = """
CREATE TRIGGER reviews_markoverride_no_update
BEFORE UPDATE ON reviews_markoverride
BEGIN
    SELECT RAISE(ABORT, 'mark overrides are append-only');
END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS reviews_markoverride_no_update;"

POSTGRES_CREATE = """
CREATE OR REPLACE FUNCTION reviews_markoverride_refuse_update() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'mark overrides are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER reviews_markoverride_no_update
BEFORE UPDATE ON reviews_markoverride
FOR EACH ROW EXECUTE FUNCTION reviews_markoverride_refuse_update();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS reviews_markoverride_no_update ON reviews_markoverride;
DROP FUNCTION IF EXISTS reviews_markoverride_refuse_update();
"""

STATEMENTS = {
    "sqlite": (SQLITE_CREATE, SQLITE_DROP),
    "postgresql": (POSTGRES_CREATE, POSTGRES_DROP),
}


def create_trigger(apps, schema_editor):
    sql = STATEMENTS.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql[0])


def drop_trigger(apps, schema_editor):
    sql = STATEMENTS.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql[1])


class Migration(migrations.Migration):
    dependencies = [("reviews", "0002_claims_and_constraints")]

    operations = [migrations.RunPython(create_trigger, drop_trigger, elidable=False)]
