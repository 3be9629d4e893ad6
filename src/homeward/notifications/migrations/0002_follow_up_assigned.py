# A notification kind for the case worker assigned to a case whose follow-up visit came due.

from django.db import migrations, models

KINDS = [('list_forwarded', 'A list forwarded to you'), ('answer_received', 'An answer received'),
         ('candidates_waiting', 'New candidate pairs waiting'),
         ('signature_due', 'A hand-over awaiting your signature'), ('follow_up_due', 'A follow-up visit due'),
         ('follow_up_assigned', 'A follow-up visit due on a case assigned to you')]


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='notification',
            name='kind',
            field=models.CharField(choices=KINDS, max_length=32),
        ),
        migrations.AlterField(
            model_name='preference',
            name='kind',
            field=models.CharField(choices=KINDS, max_length=32),
        ),
    ]
