# Production grade (issue 5): consent recorded, anonymisation, the page-cache key, the admin list index.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('registrations', '0009_organizers_group'),
    ]

    operations = [
        migrations.AddField(
            model_name='delegation',
            name='updated_at',
            field=models.DateTimeField(auto_now=True, verbose_name='updated at'),
        ),
        migrations.AddField(
            model_name='registration',
            name='anonymised_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='anonymised at'),
        ),
        migrations.AddField(
            model_name='registration',
            name='consent_text',
            field=models.TextField(blank=True, verbose_name='consent text shown'),
        ),
        migrations.AddField(
            model_name='registration',
            name='consent_version',
            field=models.CharField(blank=True, max_length=20, verbose_name='consent version'),
        ),
        migrations.AddIndex(
            model_name='registration',
            index=models.Index(fields=['-created_at', '-id'], name='registration_newest_idx'),
        ),
    ]
