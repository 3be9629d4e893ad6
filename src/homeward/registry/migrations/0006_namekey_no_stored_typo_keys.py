"""The name index no longer stores typo keys (``d:…``, a deletion neighbourhood per word): typo tolerance
moved to the query side (``homeward.names.search.one_edit``), which looks up a query word's one-edit
variants among the records' own ``a:`` keys. Dropping the rows is all the backfill needed: every other
key of a record is unchanged."""

from typing import Any

from django.db import migrations


def drop_typo_keys(apps: Any, schema_editor: Any) -> None:
    NameKey = apps.get_model("registry", "NameKey")
    NameKey.objects.filter(key__startswith="d:").delete()


def restore_typo_keys(apps: Any, schema_editor: Any) -> None:
    # Nothing to restore here: the code in place no longer writes this table (registry 0009 moved the index to
    # name values); going back that far, rebuild the index with that version's ``homeward search reindex``.
    del apps, schema_editor


class Migration(migrations.Migration):
    dependencies = [("registry", "0005_child_sort_key")]

    operations = [migrations.RunPython(drop_typo_keys, restore_typo_keys)]
