import factory
from django.contrib.auth.models import Group

from accounts import roles
from accounts.models import Agency, User

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    agency = Agency.SCHOOL
    job_title = "Designated safeguarding lead"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))


def practitioner(**kwargs) -> User:
    return UserFactory(roles=[roles.PRACTITIONER], **kwargs)


def hub_manager(**kwargs) -> User:
    return UserFactory(roles=[roles.HUB_MANAGER], agency=Agency.FAMILY_SERVICES, **kwargs)


def administrator(**kwargs) -> User:
    return UserFactory(roles=[roles.ADMINISTRATOR], agency=Agency.FAMILY_SERVICES, **kwargs)


def sign_in(client, user: User):
    """Sign ``user`` in on ``client`` as if they had given their password and two-factor code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="Test authenticator", defaults={"confirmed": True}
    )
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


# Postcodes in each hub's area (covered by a rule), one no rule covers, and one in Harrow.
WEST_POSTCODE = "NW7 1AA"
EAST_CENTRAL_POSTCODE = "N2 8LG"
SOUTH_POSTCODE = "NW4 3PS"
UNCOVERED_POSTCODE = "N20 0AA"
OTHER_COUNCIL_POSTCODE = "HA8 5AL"


def complete_assessment(author: User, *, postcode: str = WEST_POSTCODE, child="Jamie"):
    """A draft with every section filled in and consent given: ready to send."""
    from datetime import date

    from referrals.models import AssessmentNeed, Consent, Person
    from referrals.services import SECTIONS, start_assessment

    assessment = start_assessment(author=author)
    family = assessment.family
    family.address_line_1 = "1 Test Street"
    family.town = "London"
    family.postcode = postcode
    family.home_language = "English"
    family.interpreter_needed = False
    family.save()
    parent = Person.objects.create(
        family=family,
        first_name="Sam",
        last_name="Taylor",
        role=Person.Role.PARENT,
        date_of_birth=date(1990, 5, 1),
        relationship="Mum",
        parental_responsibility=True,
    )
    kid = Person.objects.create(
        family=family,
        first_name=child,
        last_name="Taylor",
        role=Person.Role.CHILD,
        date_of_birth=date(2019, 3, 27),
    )
    assessment.subjects.set([kid])
    Consent.objects.create(
        assessment=assessment,
        person=kid,
        given_by=parent,
        given_on=date(2026, 11, 1),
        method=Consent.Method.IN_PERSON,
        to_assessment=True,
        to_share=True,
        share_with=["school", "health_visiting"],
    )
    Consent.objects.create(  # an adult agrees to their own information being recorded
        assessment=assessment,
        person=parent,
        given_by=parent,
        given_on=date(2026, 11, 1),
        method=Consent.Method.IN_PERSON,
        to_assessment=True,
        to_share=True,
    )
    AssessmentNeed.objects.create(
        assessment=assessment, area="early_years", detail="Speech is behind."
    )
    assessment.assessor_phone = "020 7946 0001"
    assessment.reason = "Mum asked for help with Jamie's speech and sleep."
    assessment.working_well = "A loving home."
    assessment.worries = "Sleep and speech."
    assessment.next_steps = "Speech and language support."
    assessment.scale_practitioner = 6
    assessment.scale_parent = 5
    assessment.child_voice = "I like trains."
    assessment.parent_voice = "I am tired."
    assessment.analysis = "Needs early years support."
    assessment.support_recommended = "Speech and language therapy; sleep clinic."
    assessment.completed_sections = [key for key, _ in SECTIONS]
    assessment.save()
    return assessment


def sent_assessment(author: User, *, postcode: str = WEST_POSTCODE, child="Jamie"):
    """An assessment sent to the front door; returns its SupportRequest."""
    from referrals.services import submit_assessment

    assessment = complete_assessment(author, postcode=postcode, child=child)
    return submit_assessment(assessment_id=assessment.pk, by=author)


def allocated_episode(author: User, *, lead: User | None = None, postcode=WEST_POSTCODE,
                      child="Jamie"):  # fmt: skip
    """An assessment by ``author``, allocated at the front door to ``lead`` (default: the author),
    with one outcome (early years) from the assessment's needs; returns the Episode."""
    from django.utils import timezone

    from referrals.episodes import open_from_allocation
    from referrals.models import SupportRequest

    support_request = sent_assessment(author, postcode=postcode, child=child)
    support_request.status = SupportRequest.Status.ALLOCATED
    support_request.save(update_fields=["status"])
    return open_from_allocation(support_request, lead=lead or author, by=author, now=timezone.now())
