from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("linkage", "0004_model_versions")]

    operations = [
        migrations.AddField(
            model_name="candidate",
            name="ambiguity_group",
            field=models.CharField(blank=True, db_index=True, max_length=80),
        ),
    ]
