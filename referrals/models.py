"""Early help assessments, parents' requests for help, and the hub front door that decides them.

A practitioner's assessment (EHA) and a parent's request both become a SupportRequest when they
are sent: that is what a hub's front door queue lists and what a triage decision is about.
Every record here holds a family's personal data, so every read goes through a selector that
scopes it to the user (referrals/selectors.py) and is audited (earlyhelp.audit.record).
"""

import uuid
from datetime import date

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q

from accounts.models import Agency

SELF_CONSENT_AGE = 13  # a young person this age or older gives their own consent


class NeedArea(models.TextChoices):
    """The Supporting Families outcome areas, used for needs here and outcomes in the plan."""

    EDUCATION = "education", "Getting a good education"
    EARLY_YEARS = "early_years", "Good early years development"
    HEALTH = "health", "Improved mental and physical health"
    SUBSTANCE_USE = "substance_use", "Promoting recovery and reducing harm from substance use"
    RELATIONSHIPS = "relationships", "Improved family relationships"
    SAFE_FROM_ABUSE = "safe_from_abuse", "Children safe from abuse and exploitation"
    CRIME = "crime", "Crime prevention and tackling crime"
    DOMESTIC_ABUSE = "domestic_abuse", "Safe from domestic abuse"
    HOUSING = "housing", "Secure housing"
    FINANCES = "finances", "Financial stability"


class Family(models.Model):
    """A household as the assessing practitioner recorded it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    address_line_1 = models.CharField("address line 1", max_length=200, blank=True)
    address_line_2 = models.CharField("address line 2", max_length=200, blank=True)
    town = models.CharField("town or city", max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    home_language = models.CharField("main language spoken at home", max_length=100, blank=True)
    interpreter_needed = models.BooleanField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "families"

    def __str__(self) -> str:
        return f"Family {str(self.id)[:8]}"

    @property
    def address_lines(self) -> list[str]:
        lines = [self.address_line_1, self.address_line_2, self.town, self.postcode]
        return [line for line in lines if line]


class Person(models.Model):
    class Role(models.TextChoices):
        CHILD = "child", "Child or young person"
        UNBORN = "unborn", "Unborn baby"
        PARENT = "parent", "Parent or carer"
        OTHER_ADULT = "other_adult", "Other adult"

    class Ethnicity(models.TextChoices):
        # The ONS 2021 census high-level groups.
        ASIAN = "asian", "Asian or Asian British"
        BLACK = "black", "Black, Black British, Caribbean or African"
        MIXED = "mixed", "Mixed or multiple ethnic groups"
        WHITE = "white", "White"
        OTHER = "other", "Another ethnic group"
        PREFER_NOT = "prefer_not", "Prefer not to say"

    class Religion(models.TextChoices):
        NONE = "none", "No religion"
        BUDDHIST = "buddhist", "Buddhist"
        CHRISTIAN = "christian", "Christian"
        HINDU = "hindu", "Hindu"
        JEWISH = "jewish", "Jewish"
        MUSLIM = "muslim", "Muslim"
        SIKH = "sikh", "Sikh"
        OTHER = "other", "Another religion"
        PREFER_NOT = "prefer_not", "Prefer not to say"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="people")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    role = models.CharField(max_length=20, choices=Role.choices)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_due_date = models.DateField(null=True, blank=True)
    relationship = models.CharField(
        "relationship to the children", max_length=100, blank=True, help_text="For example, mum"
    )
    parental_responsibility = models.BooleanField(default=False)
    lives_in_household = models.BooleanField(default=True)
    ethnicity = models.CharField(max_length=20, choices=Ethnicity.choices, blank=True)
    religion = models.CharField(max_length=20, choices=Religion.choices, blank=True)

    class Meta:
        ordering = ["role", "date_of_birth", "first_name"]
        verbose_name_plural = "people"
        constraints = [
            models.CheckConstraint(
                condition=Q(role="unborn", expected_due_date__isnull=False, date_of_birth=None)
                | (~Q(role="unborn") & Q(expected_due_date=None)),
                name="person_unborn_has_due_date_only",
            ),
        ]
        indexes = [models.Index(fields=["date_of_birth"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def is_child(self) -> bool:
        return self.role in (self.Role.CHILD, self.Role.UNBORN)

    def gives_own_consent(self, day: date) -> bool:
        age = self.age_on(day)
        return self.role != self.Role.UNBORN and (
            self.role != self.Role.CHILD or (age is not None and age >= SELF_CONSENT_AGE)
        )


class SupportRequestQuerySet(models.QuerySet):
    def awaiting_decision(self) -> "SupportRequestQuerySet":
        return self.filter(status=SupportRequest.Status.AWAITING_DECISION)

    def for_hub(self, hub) -> "SupportRequestQuerySet":
        return self.filter(hub=hub)


class SupportRequest(models.Model):
    """An item at a hub's front door: a sent assessment or a parent's request for help."""

    class Kind(models.TextChoices):
        ASSESSMENT = "assessment", "Early help assessment"
        FAMILY_REQUEST = "family_request", "Family request"

    class Status(models.TextChoices):
        AWAITING_DECISION = "awaiting_decision", "Awaiting decision"
        MORE_INFORMATION = "more_information", "More information requested"
        ALLOCATED = "allocated", "Lead practitioner allocated"
        STEPPED_UP = "stepped_up", "Stepped up to children's social care"
        SIGNPOSTED = "signposted", "Signposted and closed"

    class Routing(models.TextChoices):
        COVERED = "covered", "Postcode in the hub's area"
        NEAREST = "nearest", "No hub covers this postcode: sent to the nearest hub"
        UNROUTED = "unrouted", "Outside the borough or postcode not found: needs routing"
        TRANSFERRED = "transferred", "Transferred from another hub"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reference = models.CharField(max_length=20, unique=True)
    hub = models.ForeignKey(
        "hubs.Hub",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_requests",
        help_text="Empty until an administrator routes an out-of-borough or unknown postcode.",
    )
    routing = models.CharField(max_length=20, choices=Routing.choices)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.AWAITING_DECISION
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_requests",
        help_text="The practitioner who sent an assessment; empty for a family request.",
    )
    received_at = models.DateTimeField()
    decision_due = models.DateField()
    # Bumped by every decision and resubmission, so a decision made on a stale page is refused.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SupportRequestQuerySet.as_manager()

    class Meta:
        ordering = ["decision_due", "received_at"]
        permissions = [
            ("triage_supportrequest", "Can decide requests at the front door of hubs they manage"),
            ("view_every_supportrequest", "Can see and route requests for every hub"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(hub__isnull=False) | Q(routing="unrouted"),
                name="support_request_routed_has_hub",
            ),
            models.CheckConstraint(
                condition=Q(submitted_by__isnull=False) | Q(kind="family_request"),
                name="support_request_assessment_has_submitter",
            ),
        ]
        indexes = [models.Index(fields=["hub", "status", "decision_due"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.AWAITING_DECISION, self.Status.MORE_INFORMATION)

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return (
            self.status == self.Status.AWAITING_DECISION
            and self.decision_due < timezone.localdate()
        )

    @property
    def status_tag_class(self) -> str:
        return {
            self.Status.AWAITING_DECISION: "govuk-tag--blue",
            self.Status.MORE_INFORMATION: "govuk-tag--yellow",
            self.Status.ALLOCATED: "govuk-tag--green",
            self.Status.STEPPED_UP: "govuk-tag--red",
            self.Status.SIGNPOSTED: "govuk-tag--grey",
        }[self.status]


class AssessmentQuerySet(models.QuerySet):
    def drafts(self) -> "AssessmentQuerySet":
        return self.filter(support_request=None)


class Assessment(models.Model):
    """An Early Help Assessment, written by one practitioner with the family's agreement."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments"
    )
    family = models.OneToOneField(
        Family, on_delete=models.PROTECT, null=True, blank=True, related_name="assessment"
    )
    support_request = models.OneToOneField(
        SupportRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessment",
    )
    # About you (the assessor), beyond what the account says.
    assessor_phone = models.CharField("your work phone number", max_length=30, blank=True)
    assessor_role = models.CharField("your role", max_length=200, blank=True)
    assessor_organisation = models.CharField("your organisation", max_length=200, blank=True)
    subjects = models.ManyToManyField(Person, blank=True, related_name="assessed_in")
    # Reasons for the request.
    reason = models.TextField("why are you asking for early help?", blank=True)
    # Signs of Safety.
    working_well = models.TextField("what is working well?", blank=True)
    worries = models.TextField("what are we worried about?", blank=True)
    next_steps = models.TextField("what needs to happen?", blank=True)
    scale_practitioner = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    scale_parent = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    scale_child = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    # Voices and analysis.
    child_voice = models.TextField("the child's voice", blank=True)
    parent_voice = models.TextField("the parent or carer's voice", blank=True)
    agencies_involved = models.TextField("agencies already involved", blank=True)
    analysis = models.TextField("your analysis", blank=True)
    support_recommended = models.TextField("support you recommend", blank=True)
    # Sections the author has marked as complete (task list), by section key.
    completed_sections = ArrayField(models.CharField(max_length=30), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{scale}__lte": 10}) | Q(**{scale: None}),
                name=f"assessment_{scale}_0_to_10",
            )
            for scale in ("scale_practitioner", "scale_parent", "scale_child")
        ]

    def __str__(self) -> str:
        return self.support_request.reference if self.support_request_id else "Draft assessment"

    @property
    def is_editable(self) -> bool:
        """A draft, or one the hub sent back asking for more information."""
        return (
            self.support_request_id is None
            or self.support_request.status == SupportRequest.Status.MORE_INFORMATION
        )


class AssessmentNeed(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="needs")
    area = models.CharField(max_length=30, choices=NeedArea.choices)
    detail = models.TextField()

    class Meta:
        ordering = ["area"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "area"], name="one_need_per_area")
        ]

    def __str__(self) -> str:
        return self.get_area_display()


class Consent(models.Model):
    """One person's consent to the assessment and to sharing it, as the practitioner recorded."""

    class Method(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        PHONE = "phone", "By phone"
        WRITTEN = "written", "In writing"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="consents")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    given_by = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="consents_given",
        help_text="The person themselves, or a parent with parental responsibility for a child.",
    )
    given_on = models.DateField()
    method = models.CharField(max_length=20, choices=Method.choices)
    to_assessment = models.BooleanField()
    to_share = models.BooleanField()
    share_with = ArrayField(
        models.CharField(max_length=30, choices=Agency.choices), default=list, blank=True
    )
    must_not_see = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "person"], name="one_consent_per_person")
        ]

    def __str__(self) -> str:
        return f"Consent for {self.person}"

    @property
    def share_with_labels(self) -> list[str]:
        return [Agency(value).label for value in self.share_with]


class FamilyRequest(models.Model):
    """A parent, carer or young person asking for help themselves, with no account."""

    class Relationship(models.TextChoices):
        PARENT = "parent", "A parent"
        CARER = "carer", "A carer, guardian or family member looking after a child"
        YOUNG_PERSON = "young_person", "A young person asking for myself"
        OTHER = "other", "Someone else helping a family"

    class ContactMethod(models.TextChoices):
        PHONE = "phone", "Phone call"
        TEXT = "text", "Text message"
        EMAIL = "email", "Email"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    support_request = models.OneToOneField(
        SupportRequest, on_delete=models.PROTECT, related_name="family_request"
    )
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    contact_method = models.CharField(max_length=10, choices=ContactMethod.choices)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    best_time = models.CharField(max_length=200, blank=True)
    safe_to_leave_message = models.BooleanField()
    postcode = models.CharField(max_length=8)
    children_ages = models.CharField(max_length=200)
    worries = models.TextField()
    language = models.CharField(max_length=100, blank=True)
    interpreter_needed = models.BooleanField(default=False)
    consent_to_contact = models.BooleanField()
    consent_to_share = models.BooleanField()
    # The form's one-time key: a double-clicked or resent form finds the request it made.
    submission_key = models.UUIDField(unique=True)
    # A keyed hash of the sender's address, only to limit how many requests one address sends.
    sender_hash = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_to_contact=True) & Q(consent_to_share=True),
                name="family_request_has_consent",
            ),
            models.CheckConstraint(
                condition=~Q(phone="") | ~Q(email=""), name="family_request_has_contact"
            ),
        ]

    def __str__(self) -> str:
        return f"Family request {self.support_request_id}"


class Decision(models.Model):
    """What the front door decided about a request, and why."""

    class Kind(models.TextChoices):
        ALLOCATE = "allocate", "Allocate a lead practitioner"
        MORE_INFORMATION = "more_information", "Ask for more information"
        STEP_UP = "step_up", "Step up to children's social care (MASH)"
        SIGNPOST = "signpost", "Signpost to services and close"
        TRANSFER = "transfer", "Transfer to another hub"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    support_request = models.ForeignKey(
        SupportRequest, on_delete=models.PROTECT, related_name="decisions"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="decisions"
    )
    decided_at = models.DateTimeField()
    lead_practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocations",
    )
    from_hub = models.ForeignKey(
        "hubs.Hub", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_hub = models.ForeignKey(
        "hubs.Hub", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    services = models.ManyToManyField("directory.Service", blank=True, related_name="+")
    # The version of the request this decision was made on (one decision per version).
    on_version = models.PositiveIntegerField()

    class Meta:
        ordering = ["-decided_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["support_request", "on_version"], name="one_decision_per_version"
            ),
            models.CheckConstraint(
                condition=~Q(kind="allocate") | Q(lead_practitioner__isnull=False),
                name="decision_allocate_names_lead",
            ),
            models.CheckConstraint(
                condition=~Q(kind="transfer") | Q(to_hub__isnull=False),
                name="decision_transfer_names_hub",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.support_request})"


class Episode(models.Model):
    """An early help episode, opened by allocating a lead practitioner.

    The Team Around the Family work (plan, meetings, reviews, closure) hangs off this record.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    support_request = models.OneToOneField(
        SupportRequest, on_delete=models.PROTECT, related_name="episode"
    )
    hub = models.ForeignKey("hubs.Hub", on_delete=models.PROTECT, related_name="episodes")
    lead_practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_episodes"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"Early help episode {self.support_request}"
