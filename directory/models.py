"""The public directory of services and places, shaped like Open Referral UK 3.0.

Entity and field names follow ORUK where they fit (organisation, service, location,
service_at_location, schedule, taxonomy_term) and ids are UUIDs, so the ORUK feed maps these
models without reshaping them.
"""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from modeltrans.fields import TranslationField

from earlyhelp.times import clock
from hubs.models import council_field


class LifeStage(models.TextChoices):
    """Life stages from the Barnet strategy; each maps to an age range in years."""

    PRE_BIRTH_TO_2 = "pre-birth-0-2", _("Pregnancy to 2 (the first 1,001 days)")
    UNDER_5 = "0-5", _("0 to 5")
    PRIMARY = "5-11", _("5 to 11")
    SECONDARY = "11-16", _("11 to 16")
    YOUNG_ADULT = "16-19", _("16 to 19 (up to 25 with SEND)")


LIFE_STAGE_AGES = {
    LifeStage.PRE_BIRTH_TO_2: (0, 2),
    LifeStage.UNDER_5: (0, 5),
    LifeStage.PRIMARY: (5, 11),
    LifeStage.SECONDARY: (11, 16),
    LifeStage.YOUNG_ADULT: (16, 19),
}


class Organisation(models.Model):
    council = council_field()
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    key = models.SlugField(max_length=100, unique=True, help_text="Stable key used by the loader.")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True)

    objects = ScopedManager(council="council")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(models.Model):
    """A two-level category (the DfE Family Hubs categories)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    taxonomy = models.CharField(max_length=50, default="dfe-family-hubs")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["taxonomy", "slug"], name="taxonomy_term_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.name


class LocationType(models.TextChoices):
    FAMILY_HUB = "family_hub", _("Family hub")
    HUB_SATELLITE = "hub_satellite", _("Hub satellite")
    CHILDRENS_CENTRE = "childrens_centre", _("Children's centre")
    LIBRARY = "library", _("Library")
    SCHOOL = "school", _("School")
    HEALTH_CENTRE = "health_centre", _("Health centre")
    COMMUNITY_VENUE = "community_venue", _("Community venue")
    YOUTH_CENTRE = "youth_centre", _("Youth centre")


class Location(models.Model):
    """A place where services happen."""

    council = council_field()
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(max_length=200, unique=True)
    name = models.CharField(max_length=200)
    location_type = models.CharField(max_length=30, choices=LocationType.choices)
    description = models.TextField(blank=True)
    address_1 = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=100, default="London")
    postal_code = models.CharField(max_length=8, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    opening_hours = models.TextField(blank=True)
    accessibility = models.TextField(blank=True)
    hub = models.ForeignKey(
        "hubs.Hub", null=True, blank=True, on_delete=models.SET_NULL, related_name="locations"
    )
    is_sample = models.BooleanField(
        default=False, help_text="Invented for demonstration: shown to the public as sample data."
    )
    is_confidential = models.BooleanField(
        default=False,
        help_text="An address that must not be published (a refuge, say): kept out of the public "
        "pages and the open data feed.",
    )
    source = models.TextField(blank=True, help_text="Where these details come from.")

    objects = ScopedManager(council="council")

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["latitude", "longitude"], name="location_coordinates")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="location_coordinates_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:place", kwargs={"slug": self.slug})


class ServiceQuerySet(models.QuerySet):
    def published(self) -> "ServiceQuerySet":
        """What the public may see: active or temporarily closed services."""
        return self.filter(status__in=[Service.Status.ACTIVE, Service.Status.TEMPORARILY_CLOSED])


class SearchLanguage(models.Model):
    """The PostgreSQL text search configuration a language's listing translations are indexed
    and searched with (#16): the council's data (settings.SEARCH_CONFIGURATIONS), loaded by
    load_council_data; the search_vector trigger (migration 0011) reads it, "simple" for a
    language not here."""

    language = models.CharField(max_length=10, primary_key=True)
    configuration = models.CharField(max_length=63)

    def __str__(self) -> str:
        return f"{self.language}: {self.configuration}"


class Service(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        TEMPORARILY_CLOSED = "temporarily_closed", "Temporarily closed"
        INACTIVE = "inactive", "Unpublished"
        ARCHIVED = "archived", "Archived"

    class Access(models.TextChoices):
        DROP_IN = "drop_in", _("Drop in")
        SELF_REFER = "self_refer", _("Contact them yourself")
        BOOK = "book", _("Book a place")
        PROFESSIONAL_REFERRAL = "professional_referral", _("A professional must refer you")

    class Delivery(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        # Translators: how a service is given, beside "In person" and "Online".
        TELEPHONE = "telephone", _("By phone")

    council = council_field()
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    key = models.SlugField(max_length=200, unique=True, help_text="Stable key used by the loader.")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(max_length=200)
    summary = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    # The name, summary and description in the council's other languages (#16), in one jsonb
    # field ("name_fa", "summary_fa"...): read as name_i18n etc., English where none is given.
    # The database adds them to search_vector (migration 0011).
    i18n = TranslationField(fields=("name", "summary", "description"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    how_to_access = models.CharField(max_length=30, choices=Access.choices)
    is_free = models.BooleanField(default=True)
    cost_description = models.CharField(max_length=300, blank=True)
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    send_up_to_25 = models.BooleanField(
        "up to 25 with SEND", default=False, help_text="Young people with SEND may use it up to 25."
    )
    delivery = ArrayField(
        models.CharField(max_length=20, choices=Delivery.choices), default=list, blank=True
    )
    languages = ArrayField(
        models.CharField(max_length=3), default=list, blank=True, help_text="ISO 639-1"
    )
    life_stages = ArrayField(
        models.CharField(max_length=20, choices=LifeStage.choices), default=list, blank=True
    )
    accessibility = models.TextField(blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    url = models.URLField(blank=True)
    terms = models.ManyToManyField(TaxonomyTerm, related_name="services", blank=True)
    last_reviewed = models.DateField(null=True, blank=True)
    is_sample = models.BooleanField(
        default=False, help_text="Invented for demonstration: shown to the public as sample data."
    )
    sample_fields = ArrayField(
        models.CharField(max_length=50),
        default=list,
        blank=True,
        help_text="Fields whose values are sample data, not from a source.",
    )
    source = models.TextField(blank=True)
    # Maintained by the database (see migration 0002): names of the service's taxonomy terms, and
    # the weighted full-text vector over name (A), terms (B), summary (C) and description (D).
    term_names = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    # Bumped by every saved edit; an edit made on an older version is refused (no lost updates).
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ScopedManager(models.Manager.from_queryset(ServiceQuerySet), council="council")

    class Meta:
        ordering = ["name"]
        permissions = [
            ("propose_change_service", "Can propose changes to their organisation's services"),
            ("publish_service", "Can publish, close, unpublish and archive services"),
            ("manage_every_service", "Can edit every hub's services and places"),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="service_search_vector"),
            # A common word's search ranks the services named with it, found here (filters.py).
            GinIndex(SearchVector("name", config="english"), name="service_name_words"),
            GinIndex(fields=["languages"], name="service_languages"),
            GinIndex(fields=["life_stages"], name="service_life_stages"),
            # The open data feed pages through published services by name (A to Z).
            models.Index(
                fields=["name", "id"],
                condition=Q(status__in=["active", "temporarily_closed"]),
                name="service_published_by_name",
            ),
            # The search page's A to Z, for filters without words (#18: a category alone at
            # 100,000 listings sorted every service it chose, 190 ms; this reads the first few).
            models.Index(
                Lower("name"),
                F("id"),
                condition=Q(status__in=["active", "temporarily_closed"]),
                name="service_published_a_to_z",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_age__isnull=True)
                | Q(maximum_age__isnull=True)
                | Q(minimum_age__lte=F("maximum_age")),
                name="service_ages_ordered",
            ),
            models.CheckConstraint(
                condition=Q(maximum_age__isnull=True) | Q(maximum_age__lte=25),
                name="service_maximum_age_25",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:service", kwargs={"pk": self.pk})

    @property
    def get_life_stages_labels(self) -> list[str]:
        labels = dict(LifeStage.choices)
        return [str(labels.get(value, value)) for value in self.life_stages]

    @property
    def sample_field_labels(self) -> list[str]:
        """The fields holding sample data, in words for the public page."""
        ages, where = gettext("ages"), gettext("where it happens")
        names = {"schedules": gettext("session days and times"),
                 "how_to_access": gettext("how to get it"), "minimum_age": ages,
                 "maximum_age": ages, "cost": gettext("cost"),
                 "delivery": gettext("how it is given"), "languages": gettext("languages"),
                 "organisation": gettext("who runs it"), "place_types": where,
                 "named_places": where, "life_stages": gettext("life stages"),
                 "send_up_to_25": ages, "categories": gettext("type of support")}  # fmt: skip
        return list(dict.fromkeys(names.get(f, f.replace("_", " ")) for f in self.sample_fields))

    @property
    def delivery_labels(self) -> list[str]:
        labels = dict(self.Delivery.choices)
        return [str(labels.get(value, value)) for value in self.delivery]

    @property
    def ages(self) -> str:
        low, high = self.minimum_age, self.maximum_age
        if low is None and high is None:
            text = gettext("All ages")
        elif high is None:
            text = gettext("%(low)s and over") % {"low": low}
        elif low in (None, 0):
            if high == 0:
                text = gettext("Pregnancy and babies")
            else:
                text = gettext("Up to %(high)s") % {"high": high}
        else:
            text = gettext("%(low)s to %(high)s") % {"low": low, "high": high}
        if self.send_up_to_25 and (high or 0) < 25:
            # Translators: %(ages)s is an age range, like "0 to 5" or "Up to 11".
            text = gettext("%(ages)s (up to 25 with SEND)") % {"ages": text}
        return text


class ServiceAtLocation(models.Model):
    council = council_field()
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    # The place's coordinates while it is public, else empty: copied by database triggers
    # (migration 0016), never by the app. Whether a service has a public place near a postcode
    # is then one look-up in `service_public_places`, not two (#18: the search counts up to
    # 1,001 services this way).
    place_latitude = models.FloatField(null=True, editable=False)
    place_longitude = models.FloatField(null=True, editable=False)

    objects = ScopedManager(council="service__council")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["service", "location"], name="service_at_location_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["service"],
                include=["place_latitude", "place_longitude"],
                condition=Q(place_latitude__isnull=False),
                name="service_public_places",
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} at {self.location}"


class Weekday(models.IntegerChoices):
    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")
    SATURDAY = 6, _("Saturday")
    SUNDAY = 7, _("Sunday")


# The loader invents session times for demonstration; this note marks them (and the pages
# say so once, above the times, rather than on every line).
SAMPLE_SESSION_NOTE = "Sample session time"


class Schedule(models.Model):
    """A weekly session of a service at a place (ORUK schedule with freq=WEEKLY and byday)."""

    council = council_field()
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service_at_location = models.ForeignKey(
        ServiceAtLocation, on_delete=models.CASCADE, related_name="schedules"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens_at = models.TimeField()
    closes_at = models.TimeField()
    term_time_only = models.BooleanField(default=False)
    notes = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["weekday", "opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__lt=F("closes_at")), name="schedule_times_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {clock(self.opens_at)} to {clock(self.closes_at)}"


class LifeStageGuide(models.Model):
    """The council's priorities for a life stage, shown on its life-stage page."""

    stage = models.CharField(max_length=20, choices=LifeStage.choices, primary_key=True)
    priorities = ArrayField(models.TextField(), default=list)
    source = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.get_stage_display()


class ListingChange(models.Model):
    """One saved change to a service or a place: who, when, and each field before and after."""

    council = council_field()
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="changes"
    )
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="changes"
    )
    version = models.PositiveIntegerField(null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    summary = models.CharField(max_length=200)
    # [{"field": "name", "label": "Name", "before": "...", "after": "..."}], values as text.
    fields = models.JSONField(default=list)
    proposal = models.ForeignKey(
        "Proposal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-changed_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(service__isnull=False) | Q(location__isnull=False),
                name="listing_change_has_listing",
            ),
        ]

    def __str__(self) -> str:
        return self.summary


class Proposal(models.Model):
    """A provider editor's change to a published service, waiting for a hub manager.

    The public keeps seeing the service as it is until the proposal is approved.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    council = council_field()
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="proposals")
    section = models.CharField(max_length=30)
    # The proposed values of the section's fields, as the form cleaned them (JSON-ready).
    values = models.JSONField()
    base_version = models.PositiveIntegerField()
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposals"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    objects = ScopedManager(council="service__council")

    class Meta:
        ordering = ["-proposed_at"]
        permissions = [("review_proposal", "Can approve or reject providers' proposed changes")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_by__isnull=False),
                name="proposal_decided_by_someone",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reason=""),
                name="proposal_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Proposed change to {self.service}"


class Feedback(models.Model):
    """Something a member of the public says is wrong with a service page."""

    council = council_field()
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="feedback")
    message = models.TextField("what is wrong")
    contact = models.CharField(max_length=200, blank=True)
    # A keyed hash of the sender's network address, to limit reports per hour (not reversible).
    sender_hash = models.CharField(max_length=64, blank=True, db_index=True)
    received_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution = models.TextField(blank=True)

    objects = ScopedManager(council="service__council")

    class Meta:
        ordering = ["-received_at"]
        verbose_name_plural = "feedback"

    def __str__(self) -> str:
        return f"Feedback on {self.service}"


class Course(models.Model):
    """A dated run of a programme: a number of weekly sessions from a start date."""

    class Booking(models.TextChoices):
        DROP_IN = "drop_in", _("Drop in, no need to book")
        REGISTER_INTEREST = "register_interest", _("Register interest online")
        PROFESSIONAL_REFERRAL = "professional_referral", _("A professional must refer you")

    council = council_field()
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="courses")
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="courses"
    )
    start_date = models.DateField()
    sessions = models.PositiveSmallIntegerField("number of weekly sessions")
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    capacity = models.PositiveSmallIntegerField("places")
    booking = models.CharField(max_length=30, choices=Booking.choices)
    notes = models.CharField(max_length=300, blank=True)
    is_cancelled = models.BooleanField(default=False)

    objects = ScopedManager(council="service__council")

    class Meta:
        ordering = ["start_date", "starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")), name="course_times"),
            models.CheckConstraint(condition=Q(sessions__gte=1), name="course_has_sessions"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="course_has_places"),
        ]

    def __str__(self) -> str:
        return f"{self.service} from {self.start_date:%-d %B %Y}"

    @property
    def weekday_label(self) -> str:
        # The Weekday label, in the reader's language (strftime names days in English only).
        return str(Weekday(self.start_date.isoweekday()).label)

    @property
    def end_date(self):
        from datetime import timedelta

        return self.start_date + timedelta(weeks=self.sessions - 1)


class Registration(models.Model):
    """A parent's interest in a place on a course. Personal data: scoped, audited, never in
    the open data feed."""

    class Status(models.TextChoices):
        REGISTERED = "registered", "Registered interest"
        WAITING = "waiting", "On the waiting list"
        OFFERED = "offered", "Offered a place"
        JOINED = "joined", "Joined"
        WITHDREW = "withdrew", "Withdrew"

    class ChildAge(models.TextChoices):
        PREGNANCY = "pregnancy", _("Expecting a baby")
        UNDER_2 = "0-1", _("Under 2")
        AGE_2_4 = "2-4", _("2 to 4")
        AGE_5_11 = "5-11", _("5 to 11")
        AGE_12_15 = "12-15", _("12 to 15")
        AGE_16_19 = "16-19", _("16 to 19")

    # Statuses that hold a place on the course.
    HOLDS_A_PLACE = [Status.REGISTERED, Status.OFFERED, Status.JOINED]

    council = council_field()
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=20, unique=True)
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="registrations")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    child_ages = ArrayField(models.CharField(max_length=10, choices=ChildAge.choices))
    consent = models.BooleanField()
    # The language of the pages the parent registered on: their emails are written in it (#16).
    language = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices)
    sender_hash = models.CharField(max_length=64, blank=True, db_index=True)
    registered_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(council="course__service__council")

    class Meta:
        ordering = ["registered_at"]
        constraints = [
            models.CheckConstraint(condition=Q(consent=True), name="registration_has_consent"),
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone=""), name="registration_has_contact"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def child_ages_labels(self) -> str:
        labels = dict(self.ChildAge.choices)
        return ", ".join(str(labels.get(value, value)) for value in self.child_ages)


class RecordedSearchQuerySet(models.QuerySet):
    def since(self, day) -> "RecordedSearchQuerySet":
        return self.filter(searched_on__gte=day)

    def found_nothing(self) -> "RecordedSearchQuerySet":
        return self.filter(results=0)


class RecordedSearch(models.Model):
    """One search of the public directory, kept to learn what parents look for.

    No personal data: the words as the search normalised them, the filters chosen, the postcode
    district (never the full postcode), the hub covering the postcode, and the day. No address,
    session, user or time of day. See directory/analytics.py.
    """

    # Random ids, so the order of ids says nothing about the order of searches within a day.
    council = council_field()
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # A date, not a timestamp: a time of day could be matched against web server logs to single
    # out one parent's visit, and weekly trends need no more than the day.
    searched_on = models.DateField()
    words = models.TextField(blank=True)
    # {"category": ["money-and-benefits"], "age": 4, "free": true}: only the filters chosen.
    filters = models.JSONField(default=dict, blank=True)
    # The outward code ("N2"): at most 4 characters, so a full postcode cannot be stored.
    district = models.CharField(max_length=4, blank=True)
    hub = models.ForeignKey(
        "hubs.Hub", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # As the search page counted them: up to its cap (COUNT_LIMIT + 1, "more than 1,000").
    results = models.PositiveIntegerField()

    objects = ScopedManager(models.Manager.from_queryset(RecordedSearchQuerySet), council="council")

    class Meta:
        ordering = ["-searched_on"]
        indexes = [models.Index(fields=["searched_on"], name="recorded_search_day")]

    def __str__(self) -> str:
        return f"{self.words or 'filters only'} on {self.searched_on:%-d %B %Y}"
