"""The public's side of listings: report something wrong, register interest in a course."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from directory.courses import register_interest, report_problem, too_many_from
from directory.forms import FeedbackForm, RegistrationForm
from directory.models import Course, Feedback, Registration, Service
from earlyhelp import audit
from earlyhelp.access import posted, public
from earlyhelp.audit import sender_hash

_REGISTERED = "course_registered"


@public(form=FeedbackForm)
def report(request: HttpRequest, pk) -> HttpResponse:
    service = get_object_or_404(Service.objects.published(), pk=pk)
    form = FeedbackForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data.get("website"):
            return render(request, "referrals/ask_for_help_refused.html", status=400)
        sender = sender_hash(audit.client_ip(request))
        if too_many_from(Feedback, sender):
            return render(request, "directory/too_many.html", {"service": service}, status=429)
        report_problem(
            service,
            message=form.cleaned_data["message"],
            contact=form.cleaned_data["contact"],
            sender=sender,
            request=request,
        )
        return redirect("directory:report_sent", service.pk)
    return render(request, "directory/report.html", {"service": service, "form": form})


@public
def report_sent(request: HttpRequest, pk) -> HttpResponse:
    service = get_object_or_404(Service.objects.published(), pk=pk)
    return render(request, "directory/report_sent.html", {"service": service})


def _open_course(pk) -> Course:
    course = get_object_or_404(
        Course.objects.select_related("service", "location").filter(
            service__in=Service.objects.published(), is_cancelled=False
        ),
        pk=pk,
    )
    if course.booking != Course.Booking.REGISTER_INTEREST or course.end_date < timezone.localdate():
        raise Http404
    return course


@public(form=RegistrationForm)
def register(request: HttpRequest, pk) -> HttpResponse:
    course = _open_course(pk)
    taken = course.registrations.filter(status__in=Registration.HOLDS_A_PLACE).count()
    places_left = max(course.capacity - taken, 0)
    form = RegistrationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data.get("website"):
            return render(request, "referrals/ask_for_help_refused.html", status=400)
        sender = sender_hash(audit.client_ip(request))
        if too_many_from(Registration, sender):
            return render(
                request, "directory/too_many.html", {"service": course.service}, status=429
            )
        data = {
            k: form.cleaned_data[k] for k in ("name", "email", "phone", "child_ages", "consent")
        }
        registration = register_interest(course, data=data, sender=sender, request=request)
        request.session[_REGISTERED] = str(registration.pk)
        return redirect("directory:registered", course.pk)
    return render(
        request,
        "directory/register.html",
        {"course": course, "form": form, "places_left": places_left},
    )


@public
def registered(request: HttpRequest, pk) -> HttpResponse:
    registration = (
        Registration.objects.select_related("course__service", "course__location")
        .filter(pk=request.session.get(_REGISTERED), course_id=pk)
        .first()
    )
    if registration is None:
        return redirect("directory:register", pk)
    return render(request, "directory/registered.html", {"registration": registration})
