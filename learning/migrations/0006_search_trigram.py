"""Search without diacritics through a trigram index on PostgreSQL.

The folded `search_text` is matched with LIKE '%word%'; a GIN trigram index answers that on
PostgreSQL without reading every row. SQLite has no such index: its admin search is bounded
by the number of words and characters instead.
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS reg_search_trgm ON learning_registration "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS reg_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("learning", "0005_list_order_index")]

    operations = [migrations.RunPython(create, drop)]
