import time

from django.core.management.base import BaseCommand

from inference.reconcile import reconcile_avatars, reconcile_films


class Command(BaseCommand):
    help = "Re-queue films and avatars whose jobs were lost (worker died, Redis restarted)."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=0, help="Repeat every N seconds (0: once).")

    def handle(self, *args, every, **options):
        while True:
            try:
                requeued, failed = reconcile_films()
                avatars = reconcile_avatars()
                if requeued or failed or avatars:
                    self.stdout.write(f"films re-queued {requeued}, failed {failed}; avatars re-queued {avatars}")
            except Exception as error:  # noqa: BLE001 - Redis may be restarting; try again next round
                self.stderr.write(f"reconcile failed this round: {error}")
            if not every:
                return
            time.sleep(every)
