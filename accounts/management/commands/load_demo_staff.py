from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import (
    DEMO_PASSWORD,
    DEMO_PROVIDER_ORGANISATIONS,
    DEMO_STAFF,
    DEMO_TOTP_KEY_HEX,
    DEMO_TOTP_SECRET,
)
from accounts.models import User
from directory.models import Organisation
from hubs.models import Hub


class Command(BaseCommand):
    help = "Create the named demo staff (development only), with a known password and TOTP key."

    @transaction.atomic
    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo staff are for development only (DJANGO_ENV=development).")
        for email, first, last, role, agency, org, title, hub_slugs in DEMO_STAFF:
            user, created = User.objects.get_or_create(
                email=email,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "agency": agency,
                    "organisation_name": org,
                    "job_title": title,
                    "work_phone": "020 7946 0000",
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            user.groups.set([Group.objects.get(name=role)])
            user.managed_hubs.set(Hub.objects.filter(slug__in=hub_slugs))
            user.provider_organisation = Organisation.objects.filter(
                key=DEMO_PROVIDER_ORGANISATIONS.get(email)
            ).first()
            user.save(update_fields=["provider_organisation"])
            TOTPDevice.objects.update_or_create(
                user=user,
                name="Demo authenticator",
                defaults={"key": DEMO_TOTP_KEY_HEX, "confirmed": True},
            )
        if options["verbosity"]:
            self.stdout.write(
                f"demo staff: {len(DEMO_STAFF)} accounts (password {DEMO_PASSWORD!r}, "
                f"TOTP key {DEMO_TOTP_SECRET}; `manage.py demo_code` prints the current code)"
            )
