from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import (
    DEMO_PASSWORD,
    DEMO_PROVIDER_ORGANISATIONS,
    DEMO_STAFF,
    DEMO_STAFF_OF,
    DEMO_TOTP_KEY_HEX,
    DEMO_TOTP_SECRET,
)
from accounts.models import User
from directory.models import Organisation
from hubs import councils
from hubs.models import Council, Hub


class Command(BaseCommand):
    help = (
        "Create the named demo staff (development only), with a known password and TOTP key, "
        "and a sample course to register interest in."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo staff are for development only (DJANGO_ENV=development).")
        self._staff(DEMO_STAFF)
        self._demo_course()
        # Each other council's, in its own scope, so they belong to it.
        with councils.every_council():
            others = list(Council.objects.filter(slug__in=list(DEMO_STAFF_OF)))
        for council in others:
            with councils.acting_for(council):
                self._staff(DEMO_STAFF_OF[council.slug])
        if options["verbosity"]:
            self.stdout.write(
                f"demo staff: {len(DEMO_STAFF)} accounts (password {DEMO_PASSWORD!r}, "
                f"TOTP key {DEMO_TOTP_SECRET}; `manage.py demo_code` prints the current code)"
            )
            for council in others:
                self.stdout.write(
                    f"{council.name}'s demo staff: {len(DEMO_STAFF_OF[council.slug])} accounts, "
                    f"signing in at {council.host_names[0]}"
                )

    def _staff(self, staff) -> None:
        for email, first, last, role, agency, org, title, hub_slugs in staff:
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

    def _demo_course(self) -> None:
        """A sample course on a sample programme, so the course pages have something to show."""
        from datetime import time, timedelta

        from django.utils import timezone

        from directory.models import Course, Service

        service = Service.objects.filter(is_sample=True, name__startswith="Triple P").first()
        if service is None or service.courses.exists():
            return
        place = service.service_at_locations.select_related("location").first()
        Course.objects.create(
            service=service,
            location=place.location if place else None,
            start_date=timezone.localdate() + timedelta(days=14),
            sessions=8,
            starts_at=time(10),
            ends_at=time(12),
            capacity=12,
            booking=Course.Booking.REGISTER_INTEREST,
            notes="Sample data: a course invented for demonstration.",
        )
