import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from accounts.demo import DEMO_TOTP_KEY_HEX


class Command(BaseCommand):
    help = "Print the demo staff's current two-factor code (development only)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo staff are for development only (DJANGO_ENV=development).")
        code = totp(bytes.fromhex(DEMO_TOTP_KEY_HEX), step=30, t0=0, digits=6)
        left = 30 - int(time.time()) % 30
        self.stdout.write(f"{code:06d}  (valid for {left} more seconds)")
