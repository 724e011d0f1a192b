"""Refuse disallowed status changes in the database too (a trigger per backend).

Check constraints cannot see the old value of a row, so a BEFORE UPDATE trigger compares the
old and new status. The transitions are frozen here as they were when this migration was
written; a later change to the rules needs a new migration.
"""

from django.db import migrations

TRANSITIONS = {
    "registered": ("not_achieved", "recognised", "withdrawn"),
    "not_achieved": ("registered", "recognised"),
    "withdrawn": ("registered",),
    "recognised": (),
}
MESSAGE = "registration_status_transition"


def _allowed_sql() -> str:
    parts = ["NEW.status = OLD.status"]
    for old, targets in TRANSITIONS.items():
        if targets:
            listed = ", ".join(f"'{t}'" for t in targets)
            parts.append(f"(OLD.status = '{old}' AND NEW.status IN ({listed}))")
    return " OR ".join(parts)


def create_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            "CREATE TRIGGER learning_registration_status_transition "
            "BEFORE UPDATE OF status ON learning_registration "
            f"WHEN NOT ({_allowed_sql()}) "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
        )
    elif vendor == "postgresql":
        schema_editor.execute(
            "CREATE FUNCTION learning_registration_status_transition() RETURNS trigger AS $$ "
            f"BEGIN IF NOT ({_allowed_sql()}) THEN "
            f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation'; END IF; "
            "RETURN NEW; END; $$ LANGUAGE plpgsql;"
        )
        schema_editor.execute(
            "CREATE TRIGGER learning_registration_status_transition "
            "BEFORE UPDATE OF status ON learning_registration FOR EACH ROW "
            "EXECUTE FUNCTION learning_registration_status_transition();"
        )


def drop_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS learning_registration_status_transition;")
    elif vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS learning_registration_status_transition "
            "ON learning_registration;"
        )
        schema_editor.execute("DROP FUNCTION IF EXISTS learning_registration_status_transition();")


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
