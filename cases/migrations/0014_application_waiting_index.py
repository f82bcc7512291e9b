
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0013_statistics_indexes'),
        ('hardship', '0016_unit_headcount'),
        ('households', '0020_statistics_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='application',
            name='cases_appli_state_94eef2_idx',
        ),
        migrations.AddIndex(
            model_name='application',
            index=models.Index(fields=['state', 'union', 'updated_at', 'id', 'filed_by', 'household'], name='application_waiting'),
        ),
    ]
