import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def record_earlier_take_downs(apps, schema_editor):
    # Who took these down was not kept: one "earlier" record each, which anyone who could restore
    # the film then may still lift (theatre.services.sharing.restore).
    Film = apps.get_model("theatre", "Film")
    TakeDown = apps.get_model("theatre", "TakeDown")
    TakeDown.objects.bulk_create(TakeDown(film_id=pk, by=None, reason="earlier")
                                 for pk in Film.objects.filter(taken_down=True).values_list("pk", flat=True))


class Migration(migrations.Migration):

    dependencies = [
        ("theatre", "0004_avatar_matte"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="TakeDown",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("reason", models.CharField(choices=[("owner", "its owner took it down"), ("in_cast", "their avatar is in it"), ("avatar_deleted", "their avatar in it was deleted"), ("earlier", "taken down before take-downs were recorded")], max_length=20)),
                ("created", models.DateTimeField(auto_now_add=True)),
                ("by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="take_downs", to=settings.AUTH_USER_MODEL)),
                ("film", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="take_downs", to="theatre.film")),
            ],
            options={"ordering": ["created", "pk"]},
        ),
        migrations.AddConstraint(
            model_name="takedown",
            constraint=models.UniqueConstraint(fields=("film", "by"), name="one_take_down_per_person"),
        ),
        migrations.AlterField(
            model_name="film",
            name="taken_down",
            field=models.BooleanField(default=False, help_text="Has a take-down in force (TakeDown rows; kept by theatre.services.sharing)."),
        ),
        migrations.RunPython(record_earlier_take_downs, migrations.RunPython.noop),
    ]
