"""Existing assessments, requests and episodes become contacts on lasting family records.

Every family that reached the front door or an episode gets a household (F-000123); every child
or unborn baby in it gets a child record (C-000123). A child recorded in two families with the
same name (ignoring case and accents) and date of birth is one child, as the re-referral check
has treated them until now. Nothing is deleted: the census ethnicity group recorded earlier is
kept beside the new DfE code, and a young person of 13 to 15 who gave their own consent under
the earlier 13-and-over rule is recorded as judged competent, with that as the reason.
"""

import unicodedata

from django.db import migrations
from django.db.models import F

SOURCE_BY_AGENCY = {
    "school": "school",
    "early_years": "early_years",
    "health_visiting": "health_visitor",
    "midwifery": "health_visitor",
    "gp": "gp",
    "health_other": "gp",
    "police": "police",
    "housing": "housing",
    "voluntary": "voluntary",
    "social_care": "social_care",
}


def _key(person) -> tuple:
    def fold(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text.strip().lower())
        return "".join(c for c in decomposed if not unicodedata.combining(c))

    return (fold(person.first_name), fold(person.last_name), person.date_of_birth)


def _next(cursor, sequence: str) -> int:
    cursor.execute("SELECT nextval(%s)", [sequence])
    return cursor.fetchone()[0]


def forwards(apps, schema_editor):
    Assessment = apps.get_model("referrals", "Assessment")
    SupportRequest = apps.get_model("referrals", "SupportRequest")
    Episode = apps.get_model("referrals", "Episode")
    Family = apps.get_model("referrals", "Family")
    Household = apps.get_model("referrals", "Household")
    Child = apps.get_model("referrals", "Child")
    Person = apps.get_model("referrals", "Person")
    Consent = apps.get_model("referrals", "Consent")

    for assessment in Assessment.objects.exclude(support_request=None).select_related("author"):
        SupportRequest.objects.filter(pk=assessment.support_request_id).update(
            family_id=assessment.family_id,
            source=SOURCE_BY_AGENCY.get(assessment.author.agency, "other"),
        )
    SupportRequest.objects.filter(kind="family_request").update(source="family")
    # A parent has no account to resend from: a request the hub asked "more information" of
    # goes back to the front door, where staff now contact the family instead.
    SupportRequest.objects.filter(kind="family_request", status="more_information").update(
        status="awaiting_decision", version=F("version") + 1
    )

    in_use = set(SupportRequest.objects.exclude(family=None).values_list("family_id", flat=True))
    in_use |= set(Episode.objects.exclude(family=None).values_list("family_id", flat=True))
    children: dict[tuple, object] = {}
    with schema_editor.connection.cursor() as cursor:
        for family in Family.objects.filter(pk__in=in_use).order_by("created_at"):
            household = Household.objects.create(
                number=_next(cursor, "referrals_household_seq"), postcode=family.postcode
            )
            family.household = household
            family.save(update_fields=["household"])
            young = Person.objects.filter(family=family, role__in=["child", "unborn"])
            for person in young.order_by("date_of_birth", "first_name"):
                key = _key(person)
                child = children.get(key) if person.date_of_birth else None
                if child is None:
                    child = Child.objects.create(
                        number=_next(cursor, "referrals_child_seq"),
                        household=household,
                        first_name=person.first_name,
                        last_name=person.last_name,
                        date_of_birth=person.date_of_birth,
                        expected_due_date=person.expected_due_date,
                        postcode=family.postcode,
                    )
                    if person.date_of_birth:
                        children[key] = child
                person.child = child
                person.save(update_fields=["child"])
    for contact in SupportRequest.objects.exclude(family=None).select_related("family"):
        contact.household_id = contact.family.household_id
        contact.save(update_fields=["household"])
    for episode in Episode.objects.exclude(family=None).select_related("family"):
        episode.household_id = episode.family.household_id
        episode.save(update_fields=["household"])

    for consent in Consent.objects.select_related("person").filter(given_by=F("person")):
        person = consent.person
        if person.role != "child" or person.date_of_birth is None:
            continue
        born, day = person.date_of_birth, consent.given_on
        age = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
        if age < 16:
            consent.competent = True
            consent.competence_reason = (
                "Recorded under the earlier rule that young people of 13 and over give their "
                "own consent."
            )
            consent.save(update_fields=["competent", "competence_reason"])


def backwards(apps, schema_editor):
    Person = apps.get_model("referrals", "Person")
    Person.objects.update(child=None)
    for name in ("SupportRequest", "Episode", "Family"):
        apps.get_model("referrals", name).objects.update(household=None)
    apps.get_model("referrals", "SupportRequest").objects.update(family=None, source="")
    apps.get_model("referrals", "Child").objects.all().delete()
    apps.get_model("referrals", "Household").objects.all().delete()
    apps.get_model("referrals", "Consent").objects.filter(
        competence_reason__startswith="Recorded under the earlier rule"
    ).update(competent=None, competence_reason="")


class Migration(migrations.Migration):
    dependencies = [("referrals", "0005_family_record_sql")]

    operations = [migrations.RunPython(forwards, backwards)]
