from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("theatre", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="film",
            name="webhook_url",
            field=models.CharField(blank=True, max_length=500),
        ),
        migrations.AddField(
            model_name="film",
            name="webhook_secret",
            field=models.CharField(blank=True, max_length=64),
        ),
    ]
