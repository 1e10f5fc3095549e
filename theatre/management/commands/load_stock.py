"""`manage.py load_stock`: create or update the stock characters and the template gallery."""
from django.core.management.base import BaseCommand

from theatre.stock.loading import load_stock


class Command(BaseCommand):
    help = "Create or update the stock characters and the template gallery (safe to run again)."

    def handle(self, *args, **options):
        tally = load_stock()
        if not tally:
            self.stdout.write("Stock characters and templates are up to date.")
        for what, count in sorted(tally.items()):
            self.stdout.write(f"{what}: {count}")
