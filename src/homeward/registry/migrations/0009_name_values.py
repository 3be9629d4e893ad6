"""The name index stores keys once per distinct name value, not once per record (issue 10, index upkeep).

``NameValue`` (a surname, given name or patronymic as written) holds its keys in ``NameValueKey``; every
record (and child name form) is one ``NameRef`` row pointing to its three values. A record with common names
now writes one row instead of about nine key rows. The old ``NameKey`` rows go; the new index is rebuilt from
the records by the code in place (``homeward.registry.search.reindex``, what ``homeward search reindex``
runs). Going back leaves the old table empty: rebuild it with that version's ``homeward search reindex``.
"""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def rebuild(apps: Any, schema_editor: Any) -> None:
    from homeward.registry.search import reindex

    del apps, schema_editor
    reindex(list_entries=False)  # list entries: their table comes with migration 0010, which indexes them


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0008_child_birth_date_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='NameRef',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('ref_type', models.CharField(max_length=1)),
                ('ref_id', models.BigIntegerField()),
                ('surname_value', models.BigIntegerField(null=True)),
                ('given_value', models.BigIntegerField(null=True)),
                ('patronymic_value', models.BigIntegerField(null=True)),
            ],
        ),
        migrations.CreateModel(
            name='NameValue',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('part', models.CharField(max_length=1)),
                ('text', models.CharField(max_length=100)),
            ],
        ),
        migrations.CreateModel(
            name='NameValueKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=64)),
                ('tier', models.PositiveSmallIntegerField()),
            ],
        ),
        migrations.AddIndex(
            model_name='nameref',
            index=models.Index(fields=['ref_type', 'surname_value', 'ref_id'], name='nameref_surname'),
        ),
        migrations.AddIndex(
            model_name='nameref',
            index=models.Index(fields=['ref_type', 'given_value', 'ref_id'], name='nameref_given'),
        ),
        migrations.AddIndex(
            model_name='nameref',
            index=models.Index(fields=['ref_type', 'patronymic_value', 'ref_id'], name='nameref_patronymic'),
        ),
        migrations.AddIndex(
            model_name='nameref',
            index=models.Index(fields=['ref_type', 'ref_id'], name='nameref_record'),
        ),
        migrations.AddConstraint(
            model_name='namevalue',
            constraint=models.UniqueConstraint(fields=('part', 'text'), name='namevalue_unique'),
        ),
        migrations.AddField(
            model_name='namevaluekey',
            name='value',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='keys', to='registry.namevalue'),
        ),
        migrations.AddIndex(
            model_name='namevaluekey',
            index=models.Index(fields=['key', 'value'], name='namevaluekey_lookup'),
        ),
        migrations.AddConstraint(
            model_name='namevaluekey',
            constraint=models.UniqueConstraint(fields=('value', 'key'), name='namevaluekey_unique'),
        ),
        migrations.DeleteModel(
            name='NameKey',
        ),
        migrations.RunPython(rebuild, migrations.RunPython.noop),
    ]
