"""The timeline is append-only in the database too (DESIGN §8): on PostgreSQL a
trigger refuses any UPDATE or DELETE of an event, whatever code issues it."""

from django.db import migrations

CREATE = """
CREATE FUNCTION cases_timelineevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Timeline events are append-only: %% refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER cases_timelineevent_append_only
    BEFORE UPDATE OR DELETE ON cases_timelineevent
    FOR EACH ROW EXECUTE FUNCTION cases_timelineevent_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS cases_timelineevent_append_only ON cases_timelineevent;
DROP FUNCTION IF EXISTS cases_timelineevent_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
