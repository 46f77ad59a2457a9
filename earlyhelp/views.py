import re
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts.models import User
from directory.editing import due_for_review, services_for
from earlyhelp import audit, replicas
from earlyhelp.access import permission, posted, public, staff
from earlyhelp.forms import ServiceFeedbackForm
from earlyhelp.models import ServiceFeedback
from privacy.models import RightsRequest
from referrals import episodes
from referrals.models import Assessment, SupportRequest
from referrals.selectors import hubs_triaged_by


@public
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "earlyhelp/home.html")


@public
@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "earlyhelp/accessibility.html")


@public
@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "earlyhelp/privacy.html")


@public
@require_safe
def cookies(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "earlyhelp/cookies.html",
        {
            "session_cookie_name": settings.SESSION_COOKIE_NAME,
            "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
            "language_cookie_name": settings.LANGUAGE_COOKIE_NAME,
            # Set only where public pages read from a replica (earlyhelp/replicas.py).
            "replica_cookie_name": replicas.PIN_COOKIE if settings.REPLICA_DATABASE_URL else "",
        },
    )


@public
@require_safe
def about_data(request: HttpRequest) -> HttpResponse:
    return render(request, "earlyhelp/about_data.html")


@public
@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers a query, 503 when it does not (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})


@staff
@require_safe
def staff_home(request: HttpRequest) -> HttpResponse:
    """Where staff land after signing in: what is waiting for them, by what they do."""
    user = request.user
    today = timezone.localdate()
    work = {}
    if user.has_perm("referrals.add_assessment"):
        mine = Assessment.objects.filter(author=user).aggregate(
            drafts=Count("pk", filter=Q(submitted_at=None)),
            waiting=Count(
                "pk",
                filter=Q(support_request__status=SupportRequest.Status.AWAITING_DECISION),
            ),
        )
        work["assessments"] = mine
    if user.has_perm("referrals.view_episode"):
        work["caseload"] = len(episodes.caseload(user))
    if user.has_perm("referrals.triage_supportrequest"):
        waiting = Q(support_requests__status=SupportRequest.Status.AWAITING_DECISION)
        work["hubs"] = list(
            hubs_triaged_by(user)
            .annotate(
                waiting=Count("support_requests", filter=waiting),
                overdue=Count(
                    "support_requests", filter=waiting & Q(support_requests__decision_due__lt=today)
                ),
            )
            .order_by("name")
        )
    if user.has_perm("directory.view_service"):
        due = due_for_review(services_for(user))
        work["listings"] = {"overdue": due["overdue"].count(), "due_soon": due["due_soon"].count()}
    if user.has_perm("accounts.invite_user"):
        work["approvals"] = (
            User.objects.of_council().filter(awaiting_approval=True, is_active=True).count()
        )
    if user.has_perm("privacy.change_rightsrequest"):
        open_requests = RightsRequest.objects.filter(closed_on=None)
        work["rights"] = {
            "open": open_requests.count(),
            "overdue": open_requests.filter(due_on__lt=today).count(),
        }
    return render(request, "earlyhelp/staff_home.html", {"work": work})


_PAGE_NAME = re.compile(r"[a-z_]+(:[a-z_]+)?")


def _page_name(value: str) -> str:
    """The name of the page someone came from (as "directory:service"), never its address,
    which may hold a record's ID; empty for anything else."""
    return value if len(value) <= 100 and _PAGE_NAME.fullmatch(value) else ""


@public(form=ServiceFeedbackForm, params=["page", "about"])
def feedback(request: HttpRequest) -> HttpResponse:
    """Anyone's view of the service, from the phase banner, or a report of a wrong translation
    from the language picker (`about=translation`). Nothing that names a person."""
    about = ServiceFeedback.About.SERVICE
    if (request.POST.get("about") or request.GET.get("about")) == ServiceFeedback.About.TRANSLATION:
        about = ServiceFeedback.About.TRANSLATION
    form = ServiceFeedbackForm(posted(request), about=about)
    page = _page_name(request.POST.get("page") or request.GET.get("page") or "")
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data.get("website"):
            return render(request, "referrals/ask_for_help_refused.html", status=400)
        sender = audit.sender_hash(audit.client_ip(request))
        hour_ago = timezone.now() - timedelta(hours=1)
        recent = ServiceFeedback.objects.filter(sender_hash=sender, received_at__gte=hour_ago)
        if recent.count() < settings.FEEDBACK_PER_HOUR:  # more is quietly thanked, not kept
            feedback = form.save(commit=False)
            feedback.about = about
            feedback.language = get_language()
            feedback.page = page
            feedback.sender_hash = sender
            feedback.save()
        return redirect("feedback_sent")
    return render(
        request,
        "earlyhelp/feedback.html",
        {"form": form, "page": page, "about": about, "is_translation": about == "translation"},
    )


@public
@require_safe
def feedback_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "earlyhelp/feedback_sent.html")


@permission("reports.view_reports")
@require_safe
def feedback_report(request: HttpRequest) -> HttpResponse:
    """What people said about the service in the last 90 days, for the strategic board."""
    since = timezone.now() - timedelta(days=90)
    received = ServiceFeedback.objects.filter(
        received_at__gte=since, about=ServiceFeedback.About.SERVICE
    )
    translations = ServiceFeedback.objects.filter(
        received_at__gte=since, about=ServiceFeedback.About.TRANSLATION
    )[:100]
    language_names = dict(settings.LANGUAGES)
    counts = dict(received.values_list("rating").annotate(n=Count("id")).order_by())
    total = sum(counts.values())
    ratings = [
        (label, counts.get(value, 0), round(100 * counts.get(value, 0) / total) if total else 0)
        for value, label in ServiceFeedback.Rating.choices
    ]
    satisfied = counts.get(5, 0) + counts.get(4, 0)
    return render(
        request,
        "earlyhelp/feedback_report.html",
        {
            "ratings": ratings,
            "total": total,
            "satisfied": round(100 * satisfied / total) if total else None,
            "comments": received.exclude(improve="")[:50],
            "translations": [
                (item, language_names.get(item.language, item.language)) for item in translations
            ],
        },
    )
