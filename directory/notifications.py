"""Emails about listings. Like all our emails: a link and no personal data in the subject."""

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop

from earlyhelp.email import link, notify


def managers_of(service) -> QuerySet:
    """Hub managers who keep this service: those of its places' hubs, or every hub manager for
    a borough-wide service (no places)."""
    from accounts.models import User

    managers = User.objects.of_council().filter(is_active=True, managed_hubs__isnull=False)
    if service.service_at_locations.filter(location__hub__isnull=False).exists():
        managers = managers.filter(managed_hubs__locations__service_at_locations__service=service)
    return managers.distinct()


def _emails(users) -> list[str]:
    return list(users.values_list("email", flat=True))


def proposal_made(proposal) -> None:
    notify(
        to=_emails(managers_of(proposal.service)),
        subject="A provider has proposed a change to a listing",
        template="directory/email/proposal_made.txt",
        context={
            "service": proposal.service.name,
            "url": link("directory:proposal", proposal.pk),
        },
    )


def proposal_decided(proposal) -> None:
    notify(
        to=[proposal.proposed_by.email],
        subject=f"Your proposed change has been {proposal.get_status_display().lower()}",
        template="directory/email/proposal_decided.txt",
        context={
            "service": proposal.service.name,
            "approved": proposal.status == proposal.Status.APPROVED,
            "reason": proposal.reason,
            "url": link("directory:manage_service", proposal.service_id),
        },
    )


def feedback_received(feedback) -> None:
    notify(
        to=_emails(managers_of(feedback.service)),
        subject="Someone has reported a problem with a listing",
        template="directory/email/feedback.txt",
        context={"service": feedback.service.name, "url": link("directory:dashboard")},
    )


def registration_received(registration) -> None:
    """Confirm to the parent (if they gave an email) with their reference only."""
    _to_parent(
        registration,
        gettext_noop("Your reference %(reference)s"),
        "directory/email/registration.txt",
        waiting=registration.status == registration.Status.WAITING,
    )


def place_offered(registration) -> None:
    """Tell the parent (if they gave an email) that a place is theirs, by reference only."""
    _to_parent(
        registration,
        gettext_noop("A place is offered to you (%(reference)s)"),
        "directory/email/place_offered.txt",
        phone=registration.course.service.phone,
    )


def _to_parent(registration, subject: str, template: str, **context) -> None:
    """An email about a course registration, in the language the parent registered in (#16):
    its subject, course name, start date and link."""
    if not registration.email:
        return
    course = registration.course
    with translation.override(registration.language or settings.LANGUAGE_CODE):
        notify(
            to=[registration.email],
            subject=gettext(subject) % {"reference": registration.reference},
            template=template,
            context={
                "reference": registration.reference,
                "course": str(course.service.name_i18n),
                "start": date_format(course.start_date, "j F Y"),
                "url": link("directory:service", course.service_id, language=registration.language),
                **context,
            },
            language=registration.language,
        )


def review_digest(user, *, overdue: int, due_soon: int, feedback: int, proposals: int) -> None:
    notify(
        to=[user.email],
        subject="Listings to check this week",
        template="directory/email/digest.txt",
        context={
            "overdue": overdue,
            "due_soon": due_soon,
            "feedback": feedback,
            "proposals": proposals,
            "months": settings.LISTING_REVIEW_MONTHS,
            "url": link("directory:dashboard"),
        },
    )


def provider_users_of(organisation) -> QuerySet:
    from accounts.models import User

    return User.objects.of_council().filter(Q(provider_organisation=organisation), is_active=True)
