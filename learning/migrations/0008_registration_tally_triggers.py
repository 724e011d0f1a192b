"""Keep learning_registrationtally in step with learning_registration (a trigger per backend).

A registration counts as registered unless withdrawn, and as recognised when recognised. Every
insert adds the row to its (unit, year, kind), every delete takes it away, and an update that
changes the unit, year, kind or status does both. The counts are filled once from the rows
already there.
"""

from django.db import migrations

TALLY = "learning_registrationtally"
REG = "CASE WHEN {row}.status <> 'withdrawn' THEN 1 ELSE 0 END"
REC = "CASE WHEN {row}.status = 'recognised' THEN 1 ELSE 0 END"


def _add(row: str) -> str:
    return (
        f"INSERT INTO {TALLY} (unit_id, year, kind, registered, recognised) "
        f"VALUES ({row}.unit_id, {row}.year, {row}.kind, {REG.format(row=row)}, "
        f"{REC.format(row=row)}) "
        f"ON CONFLICT (unit_id, year, kind) DO UPDATE SET "
        f"registered = {TALLY}.registered + excluded.registered, "
        f"recognised = {TALLY}.recognised + excluded.recognised;"
    )


def _take(row: str) -> str:
    return (
        f"UPDATE {TALLY} SET registered = registered - {REG.format(row=row)}, "
        f"recognised = recognised - {REC.format(row=row)} "
        f"WHERE unit_id = {row}.unit_id AND year = {row}.year AND kind = {row}.kind;"
    )


FILL = (
    f"INSERT INTO {TALLY} (unit_id, year, kind, registered, recognised) "
    f"SELECT unit_id, year, kind, SUM({REG.format(row='r')}), SUM({REC.format(row='r')}) "
    "FROM learning_registration r GROUP BY unit_id, year, kind"
)
WATCHED = "unit_id, year, kind, status"


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            "CREATE TRIGGER learning_registration_tally_insert AFTER INSERT "
            f"ON learning_registration BEGIN {_add('NEW')} END;"
        )
        schema_editor.execute(
            f"CREATE TRIGGER learning_registration_tally_update AFTER UPDATE OF {WATCHED} "
            f"ON learning_registration BEGIN {_take('OLD')} {_add('NEW')} END;"
        )
        schema_editor.execute(
            "CREATE TRIGGER learning_registration_tally_delete AFTER DELETE "
            f"ON learning_registration BEGIN {_take('OLD')} END;"
        )
    elif vendor == "postgresql":
        schema_editor.execute(
            "CREATE FUNCTION learning_registration_tally() RETURNS trigger AS $$ BEGIN "
            f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {_take('OLD')} END IF; "
            f"IF TG_OP IN ('UPDATE', 'INSERT') THEN {_add('NEW')} END IF; "
            "RETURN NULL; END; $$ LANGUAGE plpgsql;"
        )
        schema_editor.execute(
            "CREATE TRIGGER learning_registration_tally "
            f"AFTER INSERT OR DELETE OR UPDATE OF {WATCHED} ON learning_registration "
            "FOR EACH ROW EXECUTE FUNCTION learning_registration_tally();"
        )
    else:
        return
    schema_editor.execute(FILL)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for name in ("insert", "update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS learning_registration_tally_{name};")
    elif vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS learning_registration_tally ON learning_registration;"
        )
        schema_editor.execute("DROP FUNCTION IF EXISTS learning_registration_tally();")
    schema_editor.execute(f"DELETE FROM {TALLY};")


class Migration(migrations.Migration):
    dependencies = [("learning", "0007_registration_tally")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
