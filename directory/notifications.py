"""Emails about listings. Like all our emails: a link and no personal data in the subject."""

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from earlyhelp.email import link, notify


def managers_of(service) -> QuerySet:
    """Hub managers who keep this service: those of its places' hubs, or every hub manager for
    a borough-wide service (no places)."""
    from accounts.models import User

    managers = User.objects.filter(is_active=True, managed_hubs__isnull=False)
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
    """Confirm to the parent (if they gave an email) with their reference only, in the language
    they registered in."""
    if registration.email:
        with translation.override(registration.language or settings.LANGUAGE_CODE):
            notify(
                to=[registration.email],
                subject=gettext("Your reference %(reference)s")
                % {"reference": registration.reference},
                template="directory/email/registration.txt",
                context={
                    "reference": registration.reference,
                    "course": str(registration.course.service.name_i18n),
                    "start": date_format(registration.course.start_date, "j F Y"),
                    "waiting": registration.status == registration.Status.WAITING,
                    "url": link(
                        "directory:service",
                        registration.course.service_id,
                        language=registration.language,
                    ),
                },
                language=registration.language,
            )


def place_offered(registration) -> None:
    """Tell the parent (if they gave an email) that a place is theirs, by reference only, in the
    language they registered in."""
    if registration.email:
        course = registration.course
        with translation.override(registration.language or settings.LANGUAGE_CODE):
            notify(
                to=[registration.email],
                subject=gettext("A place is offered to you (%(reference)s)")
                % {"reference": registration.reference},
                template="directory/email/place_offered.txt",
                context={
                    "reference": registration.reference,
                    "course": str(course.service.name_i18n),
                    "start": date_format(course.start_date, "j F Y"),
                    "phone": course.service.phone,
                    "url": link(
                        "directory:service", course.service_id, language=registration.language
                    ),
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

    return User.objects.filter(Q(provider_organisation=organisation), is_active=True)
