"""manage.py render FILM_ID: renders a film in this process, with a progress bar."""
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from inference import jobs
from theatre.models import Film


class Command(BaseCommand):
    help = "Render a film from the command line, with a progress bar (no worker needed)."

    def add_arguments(self, parser):
        parser.add_argument("film_id", type=int)
        parser.add_argument("--backend", default="", help="preview, wan or tiny (default: the THEATRE_BACKEND setting)")

    def handle(self, film_id, backend, **options):
        film = Film.objects.filter(pk=film_id).first()
        if film is None:
            raise CommandError(f"There is no film {film_id}.")
        if backend:
            from django.conf import settings

            settings.THEATRE_BACKEND = backend
        # A save, not an update: a finished film being rendered again stops its share links (theatre/services/sharing.py).
        film.status, film.failure_reason = Film.Status.QUEUED, ""
        film.save(update_fields=["status", "failure_reason"])
        bar = tqdm(total=100, unit="%", desc=film.title[:30])

        def show(progress):
            bar.set_postfix_str(f"{progress.stage} {progress.shot}/{progress.shots}")
            bar.update(max(0, progress.percent - bar.n))

        jobs.render_film(film_id, on_progress=show)
        bar.update(100 - bar.n)
        bar.close()
        film.refresh_from_db()
        if film.status != Film.Status.DONE:
            raise CommandError(f"Render failed: {film.failure_reason}")
        self.stdout.write(self.style.SUCCESS(f"{film.title}: {film.video.name} ({film.duration:.1f} s, {film.backend})"))
