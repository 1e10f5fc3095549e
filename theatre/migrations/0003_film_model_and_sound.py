from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("theatre", "0002_film_webhook")]

    operations = [
        migrations.AddField(
            model_name="film", name="model",
            field=models.CharField(blank=True, help_text="The generator model that made it.", max_length=120)),
        migrations.AddField(
            model_name="film", name="sound",
            field=models.CharField(blank=True, help_text="Whose the sound is: the model's or synthetic.", max_length=10)),
    ]
