from django.db import migrations, models

import homeward.accounts.models


def revoked_flag_to_time(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    for token in ApiToken.objects.filter(revoked=True):
        token.revoked_at = token.created_at
        token.revoked_reason = "revoked"
        token.save(update_fields=["revoked_at", "revoked_reason"])


def revoked_time_to_flag(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    ApiToken.objects.filter(revoked_at__isnull=False).update(revoked=True)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_audited_reads"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="apitoken",
            options={"ordering": ["-created_at", "-id"]},
        ),
        migrations.AddField(
            model_name="apitoken",
            name="name",
            field=models.CharField(default="api", max_length=64, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(default=homeward.accounts.models._token_expiry),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="revoked_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="revoked_reason",
            field=models.CharField(blank=True, max_length=32),
        ),
        migrations.RunPython(revoked_flag_to_time, revoked_time_to_flag),
        migrations.RemoveField(
            model_name="apitoken",
            name="revoked",
        ),
        migrations.AddIndex(
            model_name="apitoken",
            index=models.Index(fields=["user", "revoked_at"], name="apitoken_user_live"),
        ),
    ]
