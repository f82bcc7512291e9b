
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('hardship', '0016_unit_headcount'),
        ('households', '0019_registry_counts'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='household',
            index=models.Index(condition=models.Q(('status', 'exited')), fields=['union', 'exited_on'], name='household_exits'),
        ),
    ]
