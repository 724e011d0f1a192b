from decimal import Decimal

from django.db import migrations

# QĐ 387/QĐ-TTg (2021–2030) for 2025, QĐ 677/QĐ-TTg for Công dân học tập (2025 and 2030).
DEFAULTS = [
    (2025, "family", "70", "QĐ 387/QĐ-TTg"),
    (2025, "clan", "65", "QĐ 387/QĐ-TTg"),
    (2025, "community", "65", "QĐ 387/QĐ-TTg"),
    (2025, "unit", "80", "QĐ 387/QĐ-TTg"),
    (2025, "citizen", "40", "QĐ 677/QĐ-TTg"),
    (2025, "citizen_unit", "60", "QĐ 677/QĐ-TTg"),
    (2030, "citizen", "60", "QĐ 677/QĐ-TTg"),
    (2030, "citizen_unit", "80", "QĐ 677/QĐ-TTg"),
]


def add_defaults(apps, schema_editor):
    target = apps.get_model("dashboards", "Target")
    for year, measure, share, source in DEFAULTS:
        target.objects.get_or_create(
            unit=None, year=year, measure=measure, defaults={"share": Decimal(share), "source": source}
        )


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0001_targets")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
