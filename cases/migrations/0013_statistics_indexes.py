
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0012_application_union'),
        ('hardship', '0016_unit_headcount'),
        ('households', '0019_registry_counts'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='application',
            index=models.Index(fields=['effective_on', 'kind'], name='application_effective'),
        ),
    ]
