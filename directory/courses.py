"""Courses, parents' registrations of interest, and public reports of wrong listings."""

from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from directory.editing import services_for
from directory.models import Course, Feedback, Registration, Service
from earlyhelp import audit


def upcoming_courses(service: Service) -> list[Course]:
    """Courses still to start or running, each with ``places_left`` (never below 0)."""
    today = timezone.localdate()
    courses = (
        service.courses.filter(is_cancelled=False, start_date__gte=today - timedelta(weeks=52))
        .select_related("location")
        .annotate(
            taken=Count(
                "registrations", filter=Q(registrations__status__in=Registration.HOLDS_A_PLACE)
            )
        )
        .order_by("start_date", "starts_at")
    )
    upcoming = [course for course in courses if course.end_date >= today]
    for course in upcoming:
        course.places_left = max(course.capacity - course.taken, 0)
    return upcoming


def courses_for(user) -> QuerySet[Course]:
    """Courses whose registrations this person may see: managers of the service's hubs, admins."""
    if not user.has_perm("directory.view_registration"):
        return Course.objects.none()
    return Course.objects.filter(service__in=services_for(user))


def registrations_for(user) -> QuerySet[Registration]:
    return Registration.objects.filter(course__in=courses_for(user))


def _next_reference() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('directory_registration_seq')")
        (number,) = cursor.fetchone()
    return f"CR-{number:06d}"


def too_many_from(model, sender: str) -> bool:
    hour_ago = timezone.now() - timedelta(hours=1)
    field = "registered_at" if model is Registration else "received_at"
    recent = model.objects.filter(sender_hash=sender, **{f"{field}__gte": hour_ago}).count()
    return recent >= settings.FEEDBACK_PER_HOUR


@transaction.atomic
def register_interest(course: Course, *, data: dict, sender: str, request=None) -> Registration:
    """Hold a place if one is left, else join the waiting list. The course row is locked so two
    parents cannot both take the last place."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    taken = course.registrations.filter(status__in=Registration.HOLDS_A_PLACE).count()
    status = (
        Registration.Status.REGISTERED if taken < course.capacity else Registration.Status.WAITING
    )
    registration = Registration.objects.create(
        course=course,
        reference=_next_reference(),
        status=status,
        sender_hash=sender,
        language=get_language() or "",
        **data,
    )
    audit.record(request, "registration.created", registration, course=str(course.pk))
    from directory.notifications import registration_received

    registration_received(registration)
    return registration


@transaction.atomic
def set_registration_status(registration: Registration, status: str, *, by, request=None):
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    before = registration.status
    registration.status = status
    registration.save(update_fields=["status", "updated_at"])
    audit.record(
        request, "registration.changed", registration, user=by, before=before, after=status
    )
    if status == Registration.Status.OFFERED and before != status:
        from directory.notifications import place_offered

        place_offered(registration)
    return registration


@transaction.atomic
def report_problem(service: Service, *, message: str, contact: str, sender: str, request=None):
    feedback = Feedback.objects.create(
        service=service, message=message, contact=contact, sender_hash=sender
    )
    audit.record(request, "feedback.received", feedback)
    from directory.notifications import feedback_received

    feedback_received(feedback)
    return feedback


def feedback_for(user) -> QuerySet[Feedback]:
    if not user.has_perm("directory.view_feedback"):
        return Feedback.objects.none()
    return Feedback.objects.filter(service__in=services_for(user))


@transaction.atomic
def resolve_feedback(feedback: Feedback, *, resolution: str, by, request=None) -> Feedback:
    feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
    if feedback.resolved_at is None:
        feedback.resolved_at = timezone.now()
        feedback.resolved_by = by
        feedback.resolution = resolution
        feedback.save()
        audit.record(request, "feedback.resolved", feedback, user=by)
    return feedback
