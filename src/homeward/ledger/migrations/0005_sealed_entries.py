from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("ledger", "0004_key_endorsement")]

    operations = [
        migrations.AddField(model_name="entryopening", name="meta_salt",
                            field=models.BinaryField(default=b"", max_length=32)),
        migrations.AddField(model_name="entryopening", name="meta", field=models.BinaryField(default=b"")),
    ]
