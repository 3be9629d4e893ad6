from typing import Any

from django.db import migrations, models


def backfill(apps: Any, schema_editor: Any) -> None:
    """Give the children already stored their alphabetical sort key."""
    from homeward.names.collate import collation_key

    Child = apps.get_model("registry", "Child")
    batch = []
    for child in Child.objects.only("pk", "surname", "given_name", "patronymic").iterator():
        child.sort_key = collation_key(" ".join(p for p in (child.surname, child.given_name, child.patronymic) if p))[:600]
        batch.append(child)
        if len(batch) >= 2000:
            Child.objects.bulk_update(batch, ["sort_key"])
            batch.clear()
    Child.objects.bulk_update(batch, ["sort_key"])


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_name_search_index")]

    operations = [
        migrations.AddField(
            model_name="child", name="sort_key",
            field=models.CharField(blank=True, db_index=True, default="", editable=False, max_length=600),
        ),
        migrations.AlterModelOptions(name="child", options={"ordering": ["sort_key", "id"]}),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
