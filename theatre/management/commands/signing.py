"""manage.py signing: the certificate every film's Content Credentials are signed with. Makes the
site's own pair on first run when SIGNING_CERT/SIGNING_KEY are unset, checks an operator's files
(that the key belongs to the certificate, that it is valid today), and prints what signs."""
from django.core.management.base import BaseCommand, CommandError

from inference.media.signing import SigningError, describe, site_credentials


class Command(BaseCommand):
    help = "Check (and on first run make) the certificate that signs every film's Content Credentials."

    def handle(self, *args, **options):
        try:
            identity = describe(site_credentials())
        except SigningError as error:
            raise CommandError(f"Films cannot be signed: {error}") from error
        kind = "self-signed, made by this site" if identity["self_signed"] else "from SIGNING_CERT"
        self.stdout.write(f"Films are signed as {identity['subject']!r} ({kind}: {identity['source']}); "
                          f"valid until {identity['expires']:%Y-%m-%d}; SHA-256 {identity['fingerprint']}")
