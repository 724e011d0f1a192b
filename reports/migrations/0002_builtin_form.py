"""The built-in report form (two editions), so every installation starts with it."""

from django.db import migrations

from reports.form_definition import load_editions


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(load_editions, migrations.RunPython.noop)]
