"""List entries indexed per version and name value (issue 10, index upkeep on list import).

A list entry's record side of the name index was one ``NameRef`` row (``ref_type`` "l"), written by a list
import into five B-trees on SQLite and six on PostgreSQL per entry. ``NamePosting`` holds, per name value and
list version, the ids of the version's entries with that value: an import writes one row per distinct value
(about 9,000 for 10,000 entries) into one table keyed by (value, version). The entries' ``NameRef`` rows go and
their postings are written from their names by the code in place (``homeward.registry.search``); going back
writes the ``NameRef`` rows again from the postings.
"""

from typing import Any

from django.db import migrations, models


def to_postings(apps: Any, schema_editor: Any) -> None:
    from homeward.registry.search import _index_list_versions

    del schema_editor
    apps.get_model("registry", "NameRef").objects.filter(ref_type="l").delete()
    _index_list_versions(None)


def to_namerefs(apps: Any, schema_editor: Any) -> None:
    from homeward.registry.search import _unpack

    del schema_editor
    NameRef = apps.get_model("registry", "NameRef")
    part_of = dict(apps.get_model("registry", "NameValue").objects.values_list("id", "part"))
    entries: dict[int, dict[str, int]] = {}
    for vid, blob in apps.get_model("registry", "NamePosting").objects.values_list("value_id", "ids"):
        for rid in _unpack(blob):
            entries.setdefault(rid, {})[part_of.get(vid, "")] = vid
    NameRef.objects.bulk_create(
        (NameRef(ref_type="l", ref_id=rid, surname_value=v.get("s"), given_value=v.get("g"),
                 patronymic_value=v.get("p")) for rid, v in sorted(entries.items())), batch_size=2000)


class Migration(migrations.Migration):

    dependencies = [
        ('exchange', '0003_opaque_ids'),
        ('registry', '0009_name_values'),
    ]

    operations = [
        migrations.CreateModel(
            name='NamePosting',
            fields=[
                ('pk', models.CompositePrimaryKey('value_id', 'version_id', blank=True, editable=False, primary_key=True, serialize=False)),
                ('value_id', models.BigIntegerField()),
                ('version_id', models.BigIntegerField()),
                ('ids', models.BinaryField()),
            ],
        ),
        migrations.RunPython(to_postings, to_namerefs),
    ]
