from django.db import migrations

# A starting point an administrator changes in the admin: a Bằng khen, a Cờ thi đua and a
# Kỷ niệm chương come from the province or above; every association gives Giấy khen,
# scholarships and prizes.
DEFAULTS = {
    "province": ["merit", "diploma", "flag", "scholarship", "prize"],
    "district": ["merit", "scholarship", "prize"],
    "commune": ["merit", "scholarship", "prize"],
    "branch": ["scholarship", "prize"],
}


def add_defaults(apps, schema_editor):
    IssuableForm = apps.get_model("awards", "IssuableForm")
    for level, forms in DEFAULTS.items():
        for form in forms:
            IssuableForm.objects.get_or_create(level=level, form=form)


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
