"""Keeping listings right, under /manage/: hub managers, provider editors and administrators.

Every read goes through a selector scoped to the user (directory.editing.services_for and
friends), so a service outside someone's hubs or organisation is a 404, not a 403.
"""

import hashlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from directory import csv_io, editing
from directory.courses import (
    courses_for,
    feedback_for,
    registrations_for,
    resolve_feedback,
    set_registration_status,
    upcoming_courses,
)
from directory.editing import EditConflict, services_for
from directory.forms import (
    SECTION_BY_KEY,
    SECTIONS,
    AddPlaceForm,
    CourseForm,
    ImportForm,
    OrganisationForm,
    PlaceForm,
    RegistrationStatusForm,
    RejectForm,
    ResolveFeedbackForm,
    StartServiceForm,
    StatusForm,
    next_section,
)
from directory.models import (
    Course,
    ListingChange,
    Location,
    Proposal,
    Registration,
    Schedule,
    Service,
    ServiceAtLocation,
)
from directory.places import save_place
from earlyhelp import audit
from earlyhelp.access import permission, posted
from hubs.postcodes import parse
from hubs.services import find_hub

VIEW = "directory.view_service"
ADD = "directory.add_service"
CHANGE = "directory.change_service"
PUBLISH = "directory.publish_service"
REVIEW = "directory.review_proposal"


def _service_for(request: HttpRequest, pk) -> Service:
    return get_object_or_404(services_for(request.user).select_related("organisation"), pk=pk)


# --- Dashboard and list -------------------------------------------------------------------------


@permission(VIEW)
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    mine = services_for(user)
    due = editing.due_for_review(mine)
    return render(
        request,
        "directory/manage/dashboard.html",
        {
            "overdue": due["overdue"][:50],
            "overdue_count": due["overdue"].count(),
            "due_soon": due["due_soon"][:50],
            "due_soon_count": due["due_soon"].count(),
            "feedback": feedback_for(user).filter(resolved_at=None).select_related("service")[:50],
            "proposals": editing.proposals_for(user)
            .filter(status=Proposal.Status.PENDING)
            .select_related("service", "proposed_by")[:50],
            "my_proposals": Proposal.objects.filter(proposed_by=user).select_related(
                "service", "decided_by"
            )[:20],
            "drafts": mine.filter(status=Service.Status.DRAFT).order_by("-updated_at")[:20],
            "months": editing.settings.LISTING_REVIEW_MONTHS,
        },
    )


@permission(VIEW)
def service_list(request: HttpRequest) -> HttpResponse:
    services = services_for(request.user).select_related("organisation").order_by("name")
    status = request.GET.get("status", "")
    if status in Service.Status.values:
        services = services.filter(status=status)
    words = request.GET.get("q", "").strip()[:100]
    if words:
        services = services.filter(
            Q(name__icontains=words) | Q(organisation__name__icontains=words)
        )
    page = Paginator(services, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "directory/manage/services.html",
        {
            "page": page,
            "status": status,
            "statuses": Service.Status.choices,
            "q": words,
            "page_query": query.urlencode(),
        },
    )


# --- Adding a service ---------------------------------------------------------------------------

_NEW_ORGANISATION = "new_service_organisation"


@permission(ADD)
def add_service(request: HttpRequest) -> HttpResponse:
    """Step 1: the organisation (kept in the session until the draft exists)."""
    organisations = editing.organisations_for(request.user)
    form = OrganisationForm(
        posted(request),
        organisations=organisations,
        initial={"organisation": request.session.get(_NEW_ORGANISATION)},
    )
    if request.method == "POST" and form.is_valid():
        request.session[_NEW_ORGANISATION] = str(form.cleaned_data["organisation"].pk)
        return redirect("directory:add_service_details")
    return render(
        request,
        "directory/manage/section.html",
        {
            "form": form,
            "title": "Which organisation runs the service?",
            "adding": True,
            "step": 1,
            "back": reverse("directory:manage_services"),
        },
    )


@permission(ADD)
def add_service_details(request: HttpRequest) -> HttpResponse:
    """Step 2: name and summary, which creates the draft; later steps edit it."""
    organisation = (
        editing.organisations_for(request.user)
        .filter(pk=request.session.get(_NEW_ORGANISATION))
        .first()
    )
    if organisation is None:
        return redirect("directory:add_service")
    form = StartServiceForm(posted(request))
    if request.method == "POST" and form.is_valid():
        service = editing.create_draft(
            organisation=organisation, by=request.user, request=request, **form.cleaned_data
        )
        del request.session[_NEW_ORGANISATION]
        return redirect(_section_url(service, "description", journey=True))
    return render(
        request,
        "directory/manage/section.html",
        {
            "form": form,
            "title": "Name and summary",
            "adding": True,
            "step": 2,
            "organisation": organisation,
            "back": reverse("directory:add_service"),
        },
    )


def _section_url(service: Service, key: str, *, journey: bool = False) -> str:
    if key == "places":
        url = reverse("directory:edit_places", args=[service.pk])
    else:
        url = reverse("directory:edit_section", args=[service.pk, key])
    return url + ("?journey=1" if journey else "")


# --- The summary page (also "check your answers") -----------------------------------------------


def _summary_rows(service: Service) -> list[dict]:
    rows = []
    for section in SECTIONS:
        values = [
            (editing.LABELS.get(field, field), editing.shown(service, field))
            for field in section.fields
        ]
        rows.append(
            {"section": section, "values": values, "url": _section_url(service, section.key)}
        )
    return rows


@permission(VIEW)
def service_summary(request: HttpRequest, pk) -> HttpResponse:
    service = _service_for(request, pk)
    service = (
        Service.objects.select_related("organisation")
        .prefetch_related(
            "terms",
            Prefetch(
                "service_at_locations",
                queryset=ServiceAtLocation.objects.select_related("location").prefetch_related(
                    "schedules"
                ),
            ),
        )
        .get(pk=service.pk)
    )
    user = request.user
    return render(
        request,
        "directory/manage/service.html",
        {
            "service": service,
            "rows": _summary_rows(service),
            "problems": editing.publish_problems(service),
            "actions": [
                action
                for action, (_, applies_to, _) in editing.STATUS_ACTIONS.items()
                if service.status in applies_to
            ]
            if user.has_perm(PUBLISH)
            else [],
            "direct": editing.changes_directly(user, service),
            "pending": service.proposals.filter(status=Proposal.Status.PENDING).select_related(
                "proposed_by"
            ),
            "can_review": user.has_perm(REVIEW),
            "courses": upcoming_courses(service),
            "can_courses": user.has_perm(CHANGE),
            "review_due": editing.review_due_on(service),
            "history": service.changes.select_related("changed_by")[:5],
            "journey": request.GET.get("journey") == "1",
        },
    )


# --- Editing a section --------------------------------------------------------------------------


def _section_form(section, service: Service, request: HttpRequest, data=None):
    if section.key == "organisation":
        return section.form_class(
            data,
            organisations=editing.organisations_for(request.user),
            initial={"organisation": service.organisation_id},
        )
    if section.key == "support":
        return section.form_class(data, instance=service)
    return section.form_class(data, instance=service)


@permission(VIEW)
def edit_section(request: HttpRequest, pk, section: str) -> HttpResponse:
    service = _service_for(request, pk)
    section_def = SECTION_BY_KEY.get(section)
    if section_def is None or section_def.form_class is None:
        raise Http404
    user = request.user
    journey = request.GET.get("journey") == "1"
    direct = editing.changes_directly(user, service)
    if not direct and not user.has_perm(editing.PROPOSE):
        raise PermissionDenied
    form = _section_form(section_def, service, request, posted(request))
    seen_version = _seen_version(request, service)
    context = {
        "form": form,
        "service": service,
        "title": section_def.title,
        "version": seen_version,
        "direct": direct,
        "journey": journey,
        "back": reverse("directory:manage_service", args=[service.pk]),
    }
    if request.method == "POST" and seen_version is None:
        context["version"] = service.version
        form.is_valid()
        form.add_error(None, STALE_FORM)
        return render(request, "directory/manage/section.html", context, status=409)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        if not direct:
            editing.propose(
                service, section, values, by=user, seen_version=seen_version, request=request
            )
            messages.success(
                request,
                "Your change has been sent to a hub manager for approval. "
                "The public will see it once it is approved.",
            )
            return redirect("directory:manage_service", service.pk)
        try:
            editing.save_changes(
                service,
                values,
                by=user,
                seen_version=seen_version,
                summary=f"Changed {section_def.title.lower()}",
                request=request,
            )
        except EditConflict as conflict:
            context.update(
                conflict=conflict.since,
                version=conflict.service.version,
                current=[
                    (editing.LABELS.get(f, f), editing.shown(conflict.service, f))
                    for f in section_def.fields
                ],
            )
            return render(request, "directory/manage/section.html", context, status=409)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return render(request, "directory/manage/section.html", context, status=400)
        following = next_section(section) if journey else None
        if following:
            return redirect(_section_url(service, following, journey=True))
        if not journey:
            messages.success(request, f"{section_def.title} saved")
        return redirect(
            reverse("directory:manage_service", args=[service.pk])
            + ("?journey=1" if journey else "")
        )
    return render(request, "directory/manage/section.html", context)


def _seen_version(request: HttpRequest, service: Service) -> int | None:
    """The version the person opened the form on, sent back with the form; None for a POST
    without one, which must not be saved (it could overwrite a change the person never saw)."""
    if request.method != "POST":
        return service.version
    try:
        version = int(request.POST["version"])
    except (KeyError, TypeError, ValueError):
        return None
    return version if version > 0 else None


STALE_FORM = (
    "We could not tell which version of this listing you were looking at. "
    "Check the details on this page, then try again."
)
PLACES_CHANGED = (
    "Someone changed this listing while you were looking at it. "
    "Check the places and times below, then try again."
)


def _place_editor(request: HttpRequest, pk) -> tuple[Service, bool]:
    """The service and whether this person's place changes go live at once (else they are
    proposals); 403 for someone who can do neither."""
    service = _service_for(request, pk)
    direct = editing.changes_directly(request.user, service)
    if not direct and not request.user.has_perm(editing.PROPOSE):
        raise PermissionDenied
    return service, direct


def _proposed(
    request: HttpRequest, service: Service, values: dict, seen_version: int
) -> HttpResponse:
    editing.propose(
        service, "places", values, by=request.user, seen_version=seen_version, request=request
    )
    messages.success(
        request,
        "Your change has been sent to a hub manager for approval. The "
        "public will see it once it is approved.",
    )
    return redirect("directory:edit_places", service.pk)


@permission(VIEW)
def edit_places(request: HttpRequest, pk) -> HttpResponse:
    service, direct = _place_editor(request, pk)
    form = AddPlaceForm(posted(request))
    journey = request.GET.get("journey") == "1"
    seen_version = _seen_version(request, service)
    if request.method == "POST" and seen_version is None:
        form.is_valid()
        form.add_error(None, STALE_FORM)
    elif request.method == "POST" and form.is_valid():
        location = form.cleaned_data["location"]
        if not direct:
            values = editing.place_change_values("add", location=location, session=form.session())
            return _proposed(request, service, values, seen_version)
        try:
            editing.add_place(
                service,
                location=location,
                session=form.session(),
                by=request.user,
                seen_version=seen_version,
                request=request,
            )
        except EditConflict:
            form.add_error(None, PLACES_CHANGED)
        else:
            messages.success(request, f"{location.name} added")
            return redirect(_section_url(service, "places", journey=journey))
    links = service.service_at_locations.select_related("location").prefetch_related("schedules")
    return render(
        request,
        "directory/manage/places_section.html",
        {
            "service": service,
            "form": form,
            "links": links,
            "journey": journey,
            "direct": direct,
            "next_url": _section_url(service, "contacts", journey=True) if journey else None,
            "version": service.version if form.errors else seen_version,
        },
        status=409 if form.non_field_errors() else 200,
    )


@permission(VIEW)
@require_POST
def remove_place(request: HttpRequest, pk, link_pk) -> HttpResponse:
    service, direct = _place_editor(request, pk)
    link = get_object_or_404(
        ServiceAtLocation.objects.select_related("location"), pk=link_pk, service=service
    )
    seen_version = _seen_version(request, service)
    if seen_version is None:
        messages.error(request, STALE_FORM)
    elif not direct:
        values = editing.place_change_values("remove_place", link=link)
        return _proposed(request, service, values, seen_version)
    else:
        try:
            editing.remove_place(
                service, link, by=request.user, seen_version=seen_version, request=request
            )
        except EditConflict:
            messages.error(request, PLACES_CHANGED)
        else:
            messages.success(request, f"{link.location.name} removed")
    return redirect("directory:edit_places", service.pk)


@permission(VIEW)
@require_POST
def remove_session(request: HttpRequest, pk, session_pk) -> HttpResponse:
    service, direct = _place_editor(request, pk)
    session = get_object_or_404(Schedule, pk=session_pk, service_at_location__service=service)
    seen_version = _seen_version(request, service)
    if seen_version is None:
        messages.error(request, STALE_FORM)
    elif not direct:
        values = editing.place_change_values("remove_session", session=session)
        return _proposed(request, service, values, seen_version)
    else:
        try:
            editing.remove_session(
                service, session, by=request.user, seen_version=seen_version, request=request
            )
        except EditConflict:
            messages.error(request, PLACES_CHANGED)
        else:
            messages.success(request, "Session removed")
    return redirect("directory:edit_places", service.pk)


# --- Status, checks, history --------------------------------------------------------------------


@permission(PUBLISH)
@require_POST
def change_status(request: HttpRequest, pk) -> HttpResponse:
    service = _service_for(request, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return redirect("directory:manage_service", service.pk)
    action = form.cleaned_data["action"]
    if action == "publish" and (problems := editing.publish_problems(service)):
        messages.error(
            request,
            "Fill in the missing details before publishing: "
            + "; ".join(message for _, message in problems),
        )
        return redirect("directory:manage_service", service.pk)
    seen_version = _seen_version(request, service)
    if seen_version is None:
        messages.error(request, STALE_FORM)
        return redirect("directory:manage_service", service.pk)
    try:
        editing.change_status(
            service, action, by=request.user, seen_version=seen_version, request=request
        )
    except EditConflict:
        messages.error(
            request,
            "Someone changed this listing while you were looking at it. Check it, then try again.",
        )
        return redirect("directory:manage_service", service.pk)
    except ValueError:
        messages.error(request, "That cannot be done to a service in this state")
        return redirect("directory:manage_service", service.pk)
    service.refresh_from_db()
    messages.success(request, f"{service.name} is now {service.get_status_display().lower()}")
    return redirect("directory:manage_service", service.pk)


@permission(CHANGE)
@require_POST
def confirm_correct(request: HttpRequest, pk) -> HttpResponse:
    service = _service_for(request, pk)
    back = (
        request.POST.get("next") == "dashboard"
        and "directory:dashboard"
        or reverse("directory:manage_service", args=[service.pk])
    )
    seen_version = _seen_version(request, service)
    if seen_version is None:
        messages.error(request, STALE_FORM)
        return redirect(back)
    try:
        editing.confirm_still_correct(
            service, by=request.user, seen_version=seen_version, request=request
        )
    except EditConflict:
        messages.error(
            request,
            f"{service.name} changed since you opened it. Check it again, then confirm.",
        )
        return redirect("directory:manage_service", service.pk)
    messages.success(
        request,
        f"{service.name} checked: next check due "
        f"{editing.review_due_on(Service.objects.get(pk=service.pk)):%-d %B %Y}",
    )
    return redirect(back)


@permission(VIEW)
def history(request: HttpRequest, pk) -> HttpResponse:
    service = _service_for(request, pk)
    changes = Paginator(
        ListingChange.objects.filter(service=service).select_related("changed_by"), 30
    ).get_page(request.GET.get("page"))
    return render(request, "directory/manage/history.html", {"service": service, "page": changes})


# --- Proposals ----------------------------------------------------------------------------------


@permission(REVIEW)
def proposal(request: HttpRequest, pk) -> HttpResponse:
    item = get_object_or_404(
        editing.proposals_for(request.user).select_related("service", "proposed_by", "decided_by"),
        pk=pk,
    )
    form = RejectForm(posted(request))
    seen_version = _seen_version(request, item.service)
    if request.method == "POST" and seen_version is None:
        form.is_valid()
        form.add_error(None, STALE_FORM)
        context = {"item": item, "rows": editing.diff(item), "form": form}
        return render(request, "directory/manage/proposal.html", context, status=409)
    if request.method == "POST" and item.status == Proposal.Status.PENDING and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            editing.decide_proposal(
                item,
                approve=approve,
                reason=form.cleaned_data["reason"],
                by=request.user,
                seen_version=seen_version,
                request=request,
            )
        except EditConflict:
            messages.error(
                request,
                "The listing changed while you were looking at this. Check the current details "
                "in the Now column, then decide again.",
            )
            return redirect("directory:proposal", item.pk)
        except editing.AlreadyDecided:
            messages.error(request, "Someone else decided this change while you were looking")
        except ValidationError as error:
            form.add_error(None, "The change cannot be applied: " + "; ".join(error.messages))
            return render(
                request,
                "directory/manage/proposal.html",
                {"item": item, "rows": editing.diff(item), "form": form},
                status=400,
            )
        else:
            messages.success(
                request,
                "Change approved and published"
                if approve
                else "Change rejected; the provider has been emailed",
            )
        return redirect("directory:dashboard")
    return render(
        request,
        "directory/manage/proposal.html",
        {"item": item, "rows": editing.diff(item), "form": form},
    )


# --- Feedback -----------------------------------------------------------------------------------


@permission("directory.change_feedback")
def feedback_item(request: HttpRequest, pk) -> HttpResponse:
    item = get_object_or_404(
        feedback_for(request.user).select_related("service", "resolved_by"), pk=pk
    )
    audit.record(request, "feedback.viewed", item)
    form = ResolveFeedbackForm(posted(request))
    if request.method == "POST" and item.resolved_at is None and form.is_valid():
        resolve_feedback(
            item, resolution=form.cleaned_data["resolution"], by=request.user, request=request
        )
        messages.success(request, "Report marked as resolved")
        return redirect("directory:dashboard")
    return render(request, "directory/manage/feedback.html", {"item": item, "form": form})


# --- Courses and registrations ------------------------------------------------------------------


def _course_places(service: Service):
    """The service's own places, or any public place if it has none yet."""
    places = Location.objects.filter(is_confidential=False).order_by("name")
    own = places.filter(service_at_locations__service=service)
    return own if own.exists() else places


@permission(CHANGE)
def course_form(request: HttpRequest, pk, course_pk=None) -> HttpResponse:
    service = _service_for(request, pk)
    course = get_object_or_404(Course, pk=course_pk, service=service) if course_pk else None
    form = CourseForm(posted(request), instance=course, places=_course_places(service))
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.service = service
        saved.save()
        audit.record(request, "course.saved", saved)
        messages.success(request, "Course saved")
        return redirect("directory:manage_service", service.pk)
    return render(
        request,
        "directory/manage/course_form.html",
        {"service": service, "form": form, "course": course},
    )


@permission("directory.view_registration")
def course_registrations(request: HttpRequest, pk) -> HttpResponse:
    course = get_object_or_404(
        courses_for(request.user).select_related("service", "location"), pk=pk
    )
    registrations = registrations_for(request.user).filter(course=course).order_by("registered_at")
    audit.record(request, "registrations.viewed", course, count=len(registrations))
    audit.record_many(request, "registration.viewed", registrations)  # each parent shown
    holding = sum(1 for r in registrations if r.status in Registration.HOLDS_A_PLACE)
    return render(
        request,
        "directory/manage/course.html",
        {
            "course": course,
            "registrations": registrations,
            "places_left": max(course.capacity - holding, 0),
            "statuses": Registration.Status.choices,
        },
    )


@permission("directory.change_registration")
@require_POST
def registration_status(request: HttpRequest, pk) -> HttpResponse:
    registration = get_object_or_404(registrations_for(request.user), pk=pk)
    form = RegistrationStatusForm(request.POST)
    if form.is_valid():
        set_registration_status(
            registration, form.cleaned_data["status"], by=request.user, request=request
        )
        messages.success(request, f"{registration.reference} updated")
    else:
        messages.error(request, "Choose a status")
    return redirect("directory:course_registrations", registration.course_id)


# --- Places -------------------------------------------------------------------------------------


@permission("directory.view_location")
def place_list(request: HttpRequest) -> HttpResponse:
    places = (
        editing.locations_for(request.user)
        .select_related("hub")
        .annotate(services=Count("service_at_locations"))
    )
    return render(
        request,
        "directory/manage/places.html",
        {"page": Paginator(places.order_by("name"), 50).get_page(request.GET.get("page"))},
    )


@permission("directory.change_location")
def place_form(request: HttpRequest, pk=None) -> HttpResponse:
    place = get_object_or_404(editing.locations_for(request.user), pk=pk) if pk else None
    if pk is None and not request.user.has_perm("directory.add_location"):
        raise PermissionDenied
    form = PlaceForm(posted(request), instance=place)
    if request.method == "POST" and form.is_valid():
        hub = find_hub(parse(form.cleaned_data["postal_code"])).hub
        # Adding or moving a place: it must be in a hub this manager keeps.
        if not request.user.has_perm(editing.EVERY) and (
            hub is None or not request.user.managed_hubs.filter(pk=hub.pk).exists()
        ):
            form.add_error("postal_code", "This postcode is not in a hub you manage")
        else:
            saved = save_place(
                form, postcode=form.postcode, hub=hub, by=request.user, request=request
            )
            messages.success(request, f"{saved.name} saved")
            return redirect("directory:manage_places")
    changes = place.changes.select_related("changed_by")[:20] if place else []
    return render(
        request,
        "directory/manage/place_form.html",
        {"form": form, "place": place, "changes": changes},
    )


# --- CSV ----------------------------------------------------------------------------------------


@permission(VIEW)
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    services = services_for(request.user)
    audit.record(request, "service.exported", None)
    response = StreamingHttpResponse(
        csv_io.csv_lines(csv_io.export_rows(services)), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="listings-{stamp}.csv"'
    return response


@permission(CHANGE)
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        "".join(csv_io.csv_lines([csv_io.COLUMNS])), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="listings-template.csv"'
    return response


_IMPORT = "listings_import"


@permission(CHANGE)
def import_csv(request: HttpRequest) -> HttpResponse:
    """Upload → dry run (row-level errors) → apply all or nothing."""
    form = ImportForm(posted(request), request.FILES or None)
    context = {"form": form, "columns": csv_io.COLUMNS}
    if request.method == "POST" and request.POST.get("apply"):
        stash = request.session.get(_IMPORT)
        if not stash or stash["digest"] != request.POST.get("apply"):
            messages.error(request, "Upload the file again: we no longer have it")
            return redirect("directory:import")
        plan = csv_io.apply_import(stash["text"], request.user, request=request)
        del request.session[_IMPORT]
        if plan.ok:
            messages.success(
                request, f"Imported: {len(plan.creates)} added, {len(plan.updates)} updated"
            )
            return redirect("directory:manage_services")
        context["plan"] = plan
        return render(request, "directory/manage/import.html", context, status=400)
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["file"]
        plan = csv_io.plan_import(text, request.user)
        context["plan"] = plan
        if plan.ok:
            digest = hashlib.sha256(text.encode()).hexdigest()
            request.session[_IMPORT] = {"text": text, "digest": digest}
            context["digest"] = digest
        return render(request, "directory/manage/import.html", context)
    return render(request, "directory/manage/import.html", context)
