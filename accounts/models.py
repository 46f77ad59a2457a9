from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models

from hubs.councils import current_council_id


class Agency(models.TextChoices):
    """The kinds of organisation practitioners work for."""

    SCHOOL = "school", "School or college"
    EARLY_YEARS = "early_years", "Nursery or early years setting"
    HEALTH_VISITING = "health_visiting", "Health visiting"
    MIDWIFERY = "midwifery", "Midwifery"
    GP = "gp", "GP practice"
    HEALTH_OTHER = "health_other", "Other health service"
    POLICE = "police", "Police"
    HOUSING = "housing", "Housing"
    VOLUNTARY = "voluntary", "Voluntary or community sector"
    FAMILY_SERVICES = "family_services", "Family services (council)"
    SOCIAL_CARE = "social_care", "Children's social care"
    YOUTH = "youth", "Youth service or youth justice"
    OTHER = "other", "Other"


class StaffUserManager(UserManager):
    """Users are identified by work email; there is no separate username."""

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("A staff user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def of_council(self):
        """The staff of the council the current request or command acts for (#17): a lookup of
        staff by anything but their own session goes through this."""
        return self.filter(council_id=current_council_id())

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A member of staff of any agency. Parents and carers never have accounts."""

    username = None
    email = models.EmailField("work email address", unique=True)
    agency = models.CharField(max_length=30, choices=Agency.choices, default=Agency.OTHER)
    organisation_name = models.CharField(max_length=200, blank=True)
    job_title = models.CharField(max_length=200, blank=True)
    work_phone = models.CharField(max_length=30, blank=True)
    # The council they work for: they can sign in only at its address (earlyhelp/middleware.py).
    # Empty only for the few superusers who administer every council.
    council = models.ForeignKey(
        "hubs.Council",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        default=current_council_id,
        related_name="+",
    )
    # The hubs whose front door this person triages (hub managers); empty for everyone else.
    managed_hubs = models.ManyToManyField(
        "hubs.Hub", blank=True, related_name="managers", verbose_name="hubs they manage"
    )

    # The organisation whose directory listings a provider editor proposes changes to.
    provider_organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="editors",
        verbose_name="organisation whose listings they edit",
    )

    # A lead practitioner's invitation of someone outside the council's agencies waits for an
    # administrator: until approved, no invitation is sent, so the account cannot be used.
    invited_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    awaiting_approval = models.BooleanField(default=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = StaffUserManager()

    class Meta:
        ordering = ["first_name", "last_name", "email"]
        permissions = [("invite_user", "Can invite staff and give them roles")]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def agency_label(self) -> str:
        return self.organisation_name or self.get_agency_display()
