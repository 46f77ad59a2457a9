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
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accounts.models import Agency
from earlyhelp.languages import english_name
from hubs import councils
from hubs.models import council_field

# A young person this age or older gives their own consent; a younger child gives it only if the
# practitioner judges them competent to decide (Gillick competence), and records why.
SELF_CONSENT_AGE = 16


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


class Source(models.TextChoices):
    """Who brought a contact to early help (reported to the board and the DfE)."""

    SCHOOL = "school", "School or college"
    EARLY_YEARS = "early_years", "Nursery or early years setting"
    HEALTH_VISITOR = "health_visitor", "Health visitor or midwife"
    GP = "gp", "GP or other health service"
    POLICE = "police", "Police"
    VOLUNTARY = "voluntary", "Voluntary or community organisation"
    FAMILY = "family", "The family or young person themselves"
    SOCIAL_CARE = "social_care", "Children's social care (step-down)"
    MASH = "mash", "The MASH (step-across)"
    HOUSING = "housing", "Housing"
    OTHER = "other", "Other"


class Household(models.Model):
    """A family over time: the lasting record that every contact, assessment and episode for
    the same household hangs on. Its number (F-000123) comes from a sequence, never from
    anyone's personal details."""

    council = council_field()
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.PositiveIntegerField(unique=True, editable=False)
    postcode = models.CharField(max_length=8, blank=True, help_text="The latest known")
    is_sample = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # A legal hold (litigation, an inquiry, a complaint) stops the retention schedule for the
    # whole family record until it is lifted (referrals.retention).
    legal_hold_reason = models.TextField(blank=True)
    legal_hold_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    legal_hold_at = models.DateTimeField(null=True, blank=True)
    # Set when the retention schedule removed the children's names and identifiers.
    anonymised_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(council="council")

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"F-{self.number:06d}"


class ChildQuerySet(models.QuerySet):
    def current(self) -> "ChildQuerySet":
        """Records still in use: a record merged into another is kept only so it can be undone."""
        return self.filter(merged_into=None)


class Child(models.Model):
    """A child or young person over time, with a stable child ID (C-000123) from a sequence.

    Each contact records the child as a Person (what was said then); matching links that Person
    to this record. The details here are the latest known, copied from the latest linked Person.
    """

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        NOT_KNOWN = "not_known", "Not known"
        PREFER_NOT = "prefer_not", "Prefer not to say"

    council = council_field()
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.PositiveIntegerField(unique=True, editable=False)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="children")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_due_date = models.DateField(null=True, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    upn = models.CharField("unique pupil number (UPN)", max_length=13, blank=True)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    sex = models.CharField(max_length=12, choices=Sex.choices, blank=True)
    ethnicity = models.CharField(max_length=4, blank=True, help_text="DfE ethnicity code")
    send = models.CharField("SEND", max_length=12, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged"
    )
    is_sample = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(models.Manager.from_queryset(ChildQuerySet), council="council")

    class Meta:
        ordering = ["number"]
        verbose_name_plural = "children"
        permissions = [("merge_child", "Can link, merge and unmerge children's records")]
        constraints = [
            models.UniqueConstraint(
                fields=["upn"],
                condition=~Q(upn="") & Q(merged_into=None),
                name="child_upn_unique",
            ),
            models.UniqueConstraint(
                fields=["nhs_number"],
                condition=~Q(nhs_number="") & Q(merged_into=None),
                name="child_nhs_number_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["date_of_birth"], name="child_dob"),
            models.Index(fields=["postcode"], name="child_postcode"),
            # Matching ORs every index below with the name's; one column without an index makes
            # PostgreSQL scan the whole table (measured: p95 500 ms at 100k children, 25 with).
            models.Index(
                fields=["expected_due_date"],
                name="child_due_date",
                condition=Q(expected_due_date__isnull=False),
            ),
        ]
        # The trigram index on the unaccented full name is made in the migration (an expression
        # over an immutable unaccent wrapper, which Django cannot declare).

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"C-{self.number:06d}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Family(models.Model):
    """A household as one contact recorded it (an assessment, a step-down, a phone call).
    Its ``household`` is the lasting record it was matched to."""

    council = council_field()
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    address_line_1 = models.CharField("address line 1", max_length=200, blank=True)
    address_line_2 = models.CharField("address line 2", max_length=200, blank=True)
    town = models.CharField("town or city", max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    home_language = models.CharField("main language spoken at home", max_length=100, blank=True)
    interpreter_needed = models.BooleanField(null=True)
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="families"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(council="council")

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

    council = council_field()
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

    class Disability(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        UNKNOWN = "unknown", "Not known"
        PREFER_NOT = "prefer_not", "Prefer not to say"

    class Send(models.TextChoices):
        NONE = "none", "No special educational needs"
        SEN_SUPPORT = "sen_support", "SEN support"
        EHC_PLAN = "ehc_plan", "Education, health and care (EHC) plan"
        UNKNOWN = "unknown", "Not known"

    # The census high-level group, as recorded before DfE codes were asked for (kept, not lost).
    ethnicity = models.CharField(max_length=20, choices=Ethnicity.choices, blank=True)
    ethnicity_code = models.CharField("ethnicity", max_length=4, blank=True)
    religion = models.CharField(max_length=20, choices=Religion.choices, blank=True)
    # About a child (all optional; "prefer not to say" is always an answer).
    sex = models.CharField(max_length=12, choices=Child.Sex.choices, blank=True)
    gender_identity = models.CharField(max_length=100, blank=True)
    disability = models.CharField(max_length=12, choices=Disability.choices, blank=True)
    disability_detail = models.CharField(max_length=500, blank=True)
    send = models.CharField("SEND", max_length=12, choices=Send.choices, blank=True)
    school = models.CharField("school or setting", max_length=200, blank=True)
    young_carer = models.BooleanField(null=True, blank=True)
    first_language = models.CharField(max_length=100, blank=True)
    interpreter_needed = models.BooleanField(null=True, blank=True)
    upn = models.CharField("unique pupil number (UPN)", max_length=13, blank=True)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    # The lasting record this person was matched to (children only; empty until matched).
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, null=True, blank=True, related_name="records"
    )
    # A child's own Signs of Safety scaling (0 to 10) in the assessment that names them.
    own_scaling = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10)]
    )

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

    @property
    def ethnicity_label(self) -> str:
        from referrals.ethnicity import ETHNICITY_CHOICES

        return dict(ETHNICITY_CHOICES).get(self.ethnicity_code, self.ethnicity_code)

    def must_give_own_consent(self, day: date) -> bool:
        """Adults, and young people of SELF_CONSENT_AGE or over, consent for themselves."""
        if self.role == self.Role.UNBORN:
            return False
        age = self.age_on(day)
        return self.role != self.Role.CHILD or (age is not None and age >= SELF_CONSENT_AGE)

    def gives_own_consent(self, day: date, *, competent: bool | None = None) -> bool:
        """Whether this person's own consent is the one that counts: always at 16 and over, and
        under 16 when the practitioner judged the child competent to decide."""
        if self.must_give_own_consent(day):
            return True
        return self.role == self.Role.CHILD and bool(competent)


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
        STEP_DOWN = "step_down", "Step-down from children's social care"
        MASH = "mash", "MASH step-across"
        PHONE = "phone", "Contact by phone"

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

    council = council_field()
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reference = models.CharField(max_length=20, unique=True)
    # An episode for the same family closed within the last 12 months (a re-referral).
    previous_episode = models.ForeignKey(
        "Episode", on_delete=models.SET_NULL, null=True, blank=True, related_name="re_referrals"
    )
    hub = models.ForeignKey(
        "hubs.Hub",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_requests",
        help_text="Empty until an administrator routes an out-of-borough or unknown postcode.",
    )
    routing = models.CharField(max_length=20, choices=Routing.choices)
    source = models.CharField(max_length=20, choices=Source.choices, blank=True)
    # The people this contact is about, as recorded (an assessment's family, a step-down's
    # children), and the lasting household they were matched to.
    family = models.ForeignKey(
        Family, on_delete=models.PROTECT, null=True, blank=True, related_name="contacts"
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="contacts"
    )
    is_sample = models.BooleanField(default=False)
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
    # Set when the retention schedule removed the people's details from this case file.
    anonymised_at = models.DateTimeField(null=True, blank=True)
    # Bumped by every decision and resubmission, so a decision made on a stale page is refused.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(models.Manager.from_queryset(SupportRequestQuerySet), council="council")

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
        indexes = [
            models.Index(fields=["hub", "status", "decision_due"]),
            models.Index(fields=["received_at"], name="contact_received"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.AWAITING_DECISION, self.Status.MORE_INFORMATION)

    @property
    def is_recorded_contact(self) -> bool:
        return self.kind in (self.Kind.STEP_DOWN, self.Kind.MASH, self.Kind.PHONE)

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
        return self.filter(support_request=None, submitted_at=None)


class Assessment(models.Model):
    """An Early Help Assessment, written by one practitioner with the family's agreement."""

    council = council_field()
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
    # An assessment the lead practitioner does within an episode (after a parent's request, a
    # step-down, a MASH step-across or a phone contact) is never sent to the front door.
    episode = models.ForeignKey(
        "Episode", on_delete=models.PROTECT, null=True, blank=True, related_name="assessments"
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

    objects = ScopedManager(models.Manager.from_queryset(AssessmentQuerySet), council="council")

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
        if self.support_request_id is None:
            return self.submitted_at is None
        return self.support_request.status == SupportRequest.Status.MORE_INFORMATION


class AssessmentNeed(models.Model):
    council = council_field()
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="needs")
    area = models.CharField(max_length=30, choices=NeedArea.choices)
    detail = models.TextField()
    # The Supporting Families descriptors that apply (keys from the council's framework file).
    descriptors = ArrayField(models.CharField(max_length=60), default=list, blank=True)
    evidence_source = models.CharField(max_length=200, blank=True)
    evidence_on = models.DateField(null=True, blank=True)

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

    council = council_field()
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
    # Agencies the family said must NOT see the information: refused from the team around the
    # family unless the lead practitioner records an override reason.
    must_not_see_agencies = ArrayField(
        models.CharField(max_length=30, choices=Agency.choices), default=list, blank=True
    )
    # A child under SELF_CONSENT_AGE: is the child judged competent to decide, and why.
    competent = models.BooleanField(null=True, blank=True)
    competence_reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "person"], name="one_consent_per_person")
        ]

    def __str__(self) -> str:
        return f"Consent for {self.person}"

    @property
    def share_with_labels(self) -> list[str]:
        return [Agency(value).label for value in self.share_with]

    @property
    def must_not_see_agency_labels(self) -> list[str]:
        return [Agency(value).label for value in self.must_not_see_agencies]


class FamilyRequest(models.Model):
    """A parent, carer or young person asking for help themselves, with no account."""

    class Relationship(models.TextChoices):
        PARENT = "parent", _("A parent")
        CARER = "carer", _("A carer, guardian or family member looking after a child")
        YOUNG_PERSON = "young_person", _("A young person asking for myself")
        OTHER = "other", _("Someone else helping a family")

    class ContactMethod(models.TextChoices):
        PHONE = "phone", _("Phone call")
        TEXT = "text", _("Text message")
        # Translators: a way to contact someone (by email).
        EMAIL = "email", _("Email")

    council = council_field()
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
    # The language of the pages the request was made on (a code from settings.LANGUAGES, #16).
    asked_in = models.CharField(max_length=10, blank=True)
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

    @property
    def asked_in_name(self) -> str:
        """The language of the pages the parent used, in English and its own script, when it
        was not English: "Persian (فارسی)"; empty otherwise."""
        if not self.asked_in or self.asked_in == settings.LANGUAGE_CODE:
            return ""
        own = dict(settings.LANGUAGES).get(self.asked_in, self.asked_in)
        english = english_name(self.asked_in, own)
        return english if english == own else f"{english} ({own})"


class Decision(models.Model):
    """What the front door decided about a request, and why."""

    class Kind(models.TextChoices):
        ALLOCATE = "allocate", "Allocate a lead practitioner"
        MORE_INFORMATION = "more_information", "Ask for more information"
        STEP_UP = "step_up", "Step up to children's social care (MASH)"
        SIGNPOST = "signpost", "Signpost to services and close"
        TRANSFER = "transfer", "Transfer to another hub"
        CONTACT_FAMILY = "contact_family", "Record contact with the family"

    class ContactOutcome(models.TextChoices):
        WANTS_HELP = "wants_help", "Spoke to the family: they want early help"
        NO_HELP = "no_help", "Spoke to the family: they do not want early help now"
        NOT_REACHED = "not_reached", "Could not reach the family"

    council = council_field()
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    support_request = models.ForeignKey(
        SupportRequest, on_delete=models.PROTECT, related_name="decisions"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.TextField()
    # A key from the council's LEVELS_OF_NEED continuum.
    level_of_need = models.CharField(max_length=30, blank=True)
    contact_outcome = models.CharField(max_length=20, choices=ContactOutcome.choices, blank=True)
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
    """An early help episode: the Team Around the Family (TAF) for one family, led by one lead
    practitioner. Opened by an "allocate" decision at the front door, or by a hub manager
    recording a step-down from children's social care."""

    class Status(models.TextChoices):
        FORMING = "forming", "TAF forming"
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    class Origin(models.TextChoices):
        ALLOCATION = "allocation", "Allocated at the front door"
        STEP_DOWN = "step_down", "Stepped down from children's social care"

    class MashOutcome(models.TextChoices):
        ACCEPTED = "accepted", "Accepted by children's social care"
        RETURNED = "returned", "Returned to early help"
        NO_FURTHER_ACTION = "nfa", "No further action"

    class ClaimStatus(models.TextChoices):
        NOT_READY = "not_ready", "Not ready to claim"
        READY = "ready", "Ready to claim"
        CLAIMED = "claimed", "Claimed"
        REJECTED = "rejected", "Claim rejected"

    class ClosureReason(models.TextChoices):
        NEEDS_MET = "needs_met", "Needs met"
        SINGLE_AGENCY = "single_agency", "Only single-agency support needed"
        STEPPED_UP = "stepped_up", "Stepped up to children's social care"
        CONSENT_WITHDRAWN = "consent_withdrawn", "Family withdrew consent"
        MOVED_AWAY = "moved_away", "Moved out of the area"
        OTHER = "other", "Other"

    council = council_field()
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    support_request = models.OneToOneField(
        SupportRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="episode"
    )
    family = models.ForeignKey(
        Family, on_delete=models.PROTECT, null=True, blank=True, related_name="episodes"
    )
    hub = models.ForeignKey("hubs.Hub", on_delete=models.PROTECT, related_name="episodes")
    lead_practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_episodes"
    )
    origin = models.CharField(max_length=12, choices=Origin.choices, default=Origin.ALLOCATION)
    origin_reason = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.FORMING)
    opened_at = models.DateTimeField()
    first_meeting_due = models.DateField(null=True, blank=True)
    review_weeks = models.PositiveSmallIntegerField(
        "weeks between reviews", default=6, validators=[MaxValueValidator(12)]
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_reason = models.CharField(max_length=20, choices=ClosureReason.choices, blank=True)
    closure_summary = models.TextField(blank=True)
    step_up_reason = models.TextField(blank=True)
    # What the MASH decided after a step up.
    mash_outcome = models.CharField(max_length=10, choices=MashOutcome.choices, blank=True)
    mash_outcome_on = models.DateField(null=True, blank=True)
    # The lasting household this episode works with.
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="episodes"
    )
    # Due when the contact had no assessment; met once an assessment in the episode is done
    # (both dates kept, for the time-to-assessment figures).
    assessment_due = models.DateField(null=True, blank=True)
    assessment_completed_at = models.DateTimeField(null=True, blank=True)
    level_of_need = models.CharField(max_length=30, blank=True)
    # Closure is asked for by the lead practitioner and signed off by a hub manager.
    closure_requested_at = models.DateTimeField(null=True, blank=True)
    closure_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closure_results = models.JSONField(default=dict, blank=True)
    closure_signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closure_level_of_need = models.CharField(max_length=30, blank=True)
    moving_on_contacts = models.TextField("who the family can turn to", blank=True)
    moving_on_if_worse = models.TextField("what to do if things get worse", blank=True)
    # Supporting Families payment by results.
    claim_status = models.CharField(
        max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.NOT_READY
    )
    claim_quarter = models.CharField(max_length=12, blank=True, help_text="For example 2026-Q3")
    is_sample = models.BooleanField(default=False)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(council="council")

    class Meta:
        ordering = ["-opened_at"]
        permissions = [("view_every_episode", "Can see every hub's early help episodes")]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_weeks__gte=6, review_weeks__lte=12), name="episode_review_weeks"
            ),
            models.CheckConstraint(
                condition=~Q(status="closed")
                | (Q(closed_at__isnull=False) & ~Q(closure_reason="")),
                name="episode_closed_with_reason",
            ),
        ]

    def __str__(self) -> str:
        if self.support_request_id:
            return f"Early help episode {self.support_request}"
        return f"Early help episode {str(self.id)[:8]}"

    @property
    def reference(self) -> str:
        return self.support_request.reference if self.support_request_id else str(self.id)[:8]

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    @property
    def awaiting_sign_off(self) -> bool:
        return self.is_open and self.closure_requested_at is not None

    @property
    def assessment_overdue(self) -> bool:
        from django.utils import timezone

        return (
            self.is_open and self.assessment_waiting and self.assessment_due < timezone.localdate()
        )

    @property
    def assessment_waiting(self) -> bool:
        return self.assessment_due is not None and self.assessment_completed_at is None


class TeamMember(models.Model):
    """A member of the team around the family: a staff user of any agency (external contacts
    are invited to make an account first). Family members take part without accounts."""

    council = council_field()
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="team_memberships"
    )
    role_in_team = models.CharField("their role in the team", max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    # Set when the family had said this agency must not see the information.
    override_reason = models.TextField(blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["added_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "user"],
                condition=Q(removed_at=None),
                name="one_current_membership",
            )
        ]

    def __str__(self) -> str:
        return str(self.user)


class Outcome(models.Model):
    """What the family and team want to achieve for one need (a Supporting Families area)."""

    class Result(models.TextChoices):
        ACHIEVED = "achieved", "Achieved"
        PARTLY = "partly", "Partly achieved"
        NOT_ACHIEVED = "not_achieved", "Not achieved"

    council = council_field()
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="outcomes")

    class Sustained(models.TextChoices):
        SUSTAINED = "sustained", "Significant and sustained"
        NOT_SUSTAINED = "not_sustained", "Not sustained"

    area = models.CharField(max_length=30, choices=NeedArea.choices)
    goal = models.TextField("what we want to achieve")
    descriptors = ArrayField(models.CharField(max_length=60), default=list, blank=True)
    result = models.CharField(max_length=20, choices=Result.choices, blank=True)
    # An achieved outcome counts as significant and sustained only once someone confirms it
    # after its sustainment period (the longest of its descriptors' periods).
    sustain_check_due = models.DateField(null=True, blank=True)
    sustained = models.CharField(max_length=15, choices=Sustained.choices, blank=True)
    sustained_checked_at = models.DateTimeField(null=True, blank=True)
    sustained_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sustained_evidence = models.TextField(blank=True)
    sustain_reminded_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.get_area_display()


class Action(models.Model):
    """A SMART action in the family plan: what, who, by when, and how it is going."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        NOT_DONE = "not_done", "Not done"

    council = council_field()
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="actions")
    what = models.TextField()
    owner_member = models.ForeignKey(
        TeamMember, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    owner_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="plan_actions"
    )
    due_on = models.DateField("by when")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    meeting = models.ForeignKey(
        "Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_member__isnull=False, owner_person__isnull=True)
                | Q(owner_member__isnull=True, owner_person__isnull=False),
                name="action_has_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.what[:60]

    @property
    def owner_name(self) -> str:
        if self.owner_member_id:
            return f"{self.owner_member.user} ({self.owner_member.user.agency_label})"
        return f"{self.owner_person.full_name} (family)"

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return (
            self.status in (self.Status.NOT_STARTED, self.Status.IN_PROGRESS)
            and self.due_on < timezone.localdate()
        )


class ActionNote(models.Model):
    """A dated progress note on an action."""

    council = council_field()
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=12, choices=Action.Status.choices)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["-written_at"]

    def __str__(self) -> str:
        return f"Note on {self.action}"


class Meeting(models.Model):
    """A TAF meeting: the first one, or a review of the plan."""

    class Kind(models.TextChoices):
        FIRST = "first", "First TAF meeting"
        REVIEW = "review", "Review"

    class Next(models.TextChoices):
        CONTINUE = "continue", "Continue with the plan"
        CLOSE = "close", "Close the episode"
        STEP_UP = "step_up", "Step up to children's social care"

    council = council_field()
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    held_on = models.DateField()
    attendees = models.ManyToManyField(TeamMember, blank=True, related_name="attended")
    apologies = models.ManyToManyField(TeamMember, blank=True, related_name="apologised")
    family_attendees = models.ManyToManyField(Person, blank=True, related_name="meetings")
    note_taker = models.ForeignKey(
        TeamMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notes = models.TextField()
    decisions = models.TextField(blank=True)
    # Reviews only: 0-10 scaling again, and what happens next.
    scale_practitioner = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    scale_parent = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    scale_child = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    next_step = models.CharField(max_length=10, choices=Next.choices, blank=True)
    level_of_need = models.CharField(max_length=30, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{scale}__lte": 10}) | Q(**{scale: None}),
                name=f"meeting_{scale}_0_to_10",
            )
            for scale in ("scale_practitioner", "scale_parent", "scale_child")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.held_on:%-d %B %Y}"

    @property
    def level_label(self) -> str:
        labels = {level["key"]: level["label"] for level in councils.levels_of_need()}
        return labels.get(self.level_of_need, self.level_of_need)


class OutcomeProgress(models.Model):
    """A review's rating of progress towards one outcome."""

    class Rating(models.IntegerChoices):
        WORSE = 1, "Worse"
        NO_CHANGE = 2, "No change"
        SOME = 3, "Some progress"
        GOOD = 4, "Good progress"
        ACHIEVED = 5, "Achieved"

    council = council_field()
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="progress")
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="progress")
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "outcome"], name="one_rating_per_outcome")
        ]

    def __str__(self) -> str:
        return f"{self.outcome}: {self.get_rating_display()}"


class ConnectionRequest(models.Model):
    """A plan action's request to a directory service's organisation to take the family on."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a reply"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    council = council_field()
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="connections")
    service = models.ForeignKey(
        "directory.Service", on_delete=models.PROTECT, related_name="connection_requests"
    )
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="connection_requests"
    )
    reason = models.TextField("why the family needs this service")
    how_to_engage = models.TextField("how best to engage the family")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    response = models.TextField(blank=True)

    objects = ScopedManager(council="action__outcome__episode__council")

    class Meta:
        ordering = ["-sent_at"]
        permissions = [("respond_connectionrequest", "Can accept or decline connection requests")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(response=""),
                name="connection_declined_with_reason",
            )
        ]

    def __str__(self) -> str:
        return f"Connection request to {self.service}"


class EpisodeEvent(models.Model):
    """One line of an episode's timeline (no personal details beyond what the team sees)."""

    council = council_field()
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=30)
    summary = models.CharField(max_length=300)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return self.summary


class Professional(models.Model):
    """A professional already involved with the family, as the assessing practitioner recorded."""

    class Role(models.TextChoices):
        GP = "gp", "GP"
        SCHOOL = "school", "School"
        HEALTH_VISITOR = "health_visitor", "Health visitor"
        MIDWIFE = "midwife", "Midwife"
        SOCIAL_WORKER = "social_worker", "Social worker"
        CAMHS = "camhs", "CAMHS"
        POLICE = "police", "Police"
        HOUSING = "housing", "Housing"
        VOLUNTARY = "voluntary", "Voluntary sector"
        OTHER = "other", "Other"

    council = council_field()
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="professionals"
    )
    child = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="professionals",
        help_text="Empty: involved with the whole family.",
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    name = models.CharField(max_length=200, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    contact = models.CharField("phone or email", max_length=200, blank=True)
    family_agreed_to_share = models.BooleanField(null=True)

    class Meta:
        ordering = ["role", "name"]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.name or self.organisation}"


class RecordedContact(models.Model):
    """What hub staff recorded for a contact that did not come as an assessment or a parent's
    own request: a step-down from children's social care, a MASH step-across or a phone call."""

    council = council_field()
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    support_request = models.OneToOneField(
        SupportRequest, on_delete=models.PROTECT, related_name="recorded_contact"
    )
    summary = models.TextField("what the contact is about")
    contact_name = models.CharField("who made the contact", max_length=200, blank=True)
    contact_role = models.CharField("their role and organisation", max_length=200, blank=True)
    contact_details = models.CharField("their phone or email", max_length=200, blank=True)
    family_agreed = models.BooleanField("the family agreed to early help", null=True, blank=True)
    # Step-down from children's social care.
    social_care_reference = models.CharField(max_length=50, blank=True)
    social_worker_name = models.CharField(max_length=200, blank=True)
    social_worker_contact = models.CharField(max_length=200, blank=True)
    transfer_meeting_on = models.DateField(null=True, blank=True)
    # MASH step-across.
    mash_reference = models.CharField(max_length=50, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Contact {self.support_request_id}"


class ChildMerge(models.Model):
    """Two children's records found to be one child: ``merged`` now points at ``kept``. The
    people moved are listed so the merge can be undone exactly."""

    council = council_field()
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kept = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="merges_kept")
    merged = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="merges_into")
    moved_people = ArrayField(models.UUIDField(), default=list)
    reason = models.TextField()
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.merged} merged into {self.kept}"


class FamilyFeedback(models.Model):
    """What the family said at closure, through a one-time link or to the lead practitioner."""

    class Helpful(models.IntegerChoices):
        VERY = 4, _("Very helpful")
        QUITE = 3, _("Quite helpful")
        NOT_VERY = 2, _("Not very helpful")
        NOT_AT_ALL = 1, _("Not at all helpful")

    class Say(models.TextChoices):
        # Translators: answers to "Did you have a say in who your lead practitioner was?"
        YES = "yes", _("Yes")
        NO = "no", _("No")
        NOT_SURE = "not_sure", _("Not sure")

    council = council_field()
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.OneToOneField(Episode, on_delete=models.CASCADE, related_name="feedback")
    # Only a hash of the one-time link's token is kept, so the database cannot give it away.
    token_hash = models.CharField(max_length=64, unique=True)
    link_expires_at = models.DateTimeField()
    helpful = models.PositiveSmallIntegerField(choices=Helpful.choices, null=True, blank=True)
    what_changed = models.TextField(blank=True)
    had_a_say = models.CharField(max_length=10, choices=Say.choices, blank=True)
    anything_else = models.TextField(blank=True)
    given_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Feedback on {self.episode}"

    @property
    def is_given(self) -> bool:
        return self.given_at is not None
