"""Decisions become records: a registration points to its recognition decision.

Existing recognised rows get one Decision per (unit, number, year), issued by the
registration's unit. On SQLite, removing the old columns rebuilds the table and drops its
status-transition trigger, so it is created again at the end.
"""

import importlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TRIGGER = importlib.import_module("learning.migrations.0002_status_transition_trigger")


def decisions_from_text(apps, schema_editor):
    Registration = apps.get_model("learning", "Registration")
    Decision = apps.get_model("associations", "Decision")
    rows = Registration.objects.exclude(decision_number="").exclude(decision_date=None)
    made = {}
    for reg in rows.iterator():
        number, _slash, symbol = " ".join(reg.decision_number.split()).partition("/")
        symbol = "".join(symbol.split()).upper()
        key = (reg.unit_id, reg.decision_date.year, number.strip()[:20], symbol[:40])
        if key not in made:
            made[key] = Decision.objects.get_or_create(
                issuing_unit_id=key[0],
                year=key[1],
                number=key[2] or "?",
                symbol=key[3],
                defaults={"date": reg.decision_date},
            )[0]
        reg.decision = made[key]
        reg.save(update_fields=["decision"])


def recreate_sqlite_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        TRIGGER.drop_trigger(apps, schema_editor)
        TRIGGER.create_trigger(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('associations', '0002_decision'),
        ('learning', '0002_status_transition_trigger'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DecisionCorrection',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.TextField(verbose_name='lý do đính chính')),
                ('at', models.DateTimeField(auto_now_add=True, verbose_name='lúc')),
            ],
            options={
                'verbose_name': 'đính chính quyết định',
                'verbose_name_plural': 'đính chính quyết định',
                'ordering': ['-at', '-pk'],
            },
        ),
        migrations.RemoveConstraint(
            model_name='registration',
            name='registration_recognised_needs_decision',
        ),
        migrations.AddField(
            model_name='registration',
            name='decision',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='recognised_registrations', to='associations.decision', verbose_name='quyết định công nhận'),
        ),
        migrations.RunPython(decisions_from_text, migrations.RunPython.noop),
        migrations.AddField(
            model_name='decisioncorrection',
            name='by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người đính chính'),
        ),
        migrations.AddField(
            model_name='decisioncorrection',
            name='new_decision',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='associations.decision', verbose_name='quyết định mới'),
        ),
        migrations.AddField(
            model_name='decisioncorrection',
            name='old_decision',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='associations.decision', verbose_name='quyết định cũ'),
        ),
        migrations.AddField(
            model_name='decisioncorrection',
            name='registration',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='decision_corrections', to='learning.registration', verbose_name='đăng ký'),
        ),
        migrations.RemoveField(
            model_name='registration',
            name='decision_date',
        ),
        migrations.RemoveField(
            model_name='registration',
            name='decision_number',
        ),
        migrations.AddConstraint(
            model_name='registration',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'recognised'), _negated=True), ('decision__isnull', False), _connector='OR'), name='registration_recognised_needs_decision', violation_error_message='Được công nhận thì phải có quyết định công nhận.'),
        ),
        migrations.RunPython(recreate_sqlite_trigger, migrations.RunPython.noop),
    ]
