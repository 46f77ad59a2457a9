"""Assessments (practitioners), asking for help (parents) and the front door (hub managers).

Views parse input, fetch through a selector that scopes to the user, call one service, and
redirect. Every view of a family's data is audited.
"""

import uuid

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from earlyhelp import audit
from earlyhelp.access import permission, posted, public
from earlyhelp.languages import english_name
from hubs.models import Hub
from referrals import episodes, records, services
from referrals.forms import (
    ASK_FOR_HELP_STEPS,
    AboutYouForm,
    AskForHelpForm,
    ChildDetailsForm,
    ChildrenForm,
    ConsentForm,
    DecisionForm,
    DeclarationForm,
    FamilyForm,
    FamilyLookupForm,
    NeedsForm,
    PersonForm,
    ProfessionalForm,
    QueueFilterForm,
    SafeguardingScreenForm,
    SignsOfSafetyForm,
    VoicesForm,
)
from referrals.models import (
    Assessment,
    AssessmentNeed,
    Consent,
    Decision,
    NeedArea,
    Person,
    Professional,
    SupportRequest,
)
from referrals.selectors import (
    get_assessment_for,
    get_support_request_for,
    hubs_triaged_by,
    triage_queue_for,
)

ASSESS = "referrals.add_assessment"
TRIAGE = "referrals.triage_supportrequest"


# --- Practitioners: my assessments, tell it once, starting ----------------------------------


@permission(ASSESS)
def my_assessments(request: HttpRequest) -> HttpResponse:
    mine = (
        Assessment.objects.filter(author=request.user)
        .select_related("support_request__hub")
        .prefetch_related("subjects", "support_request__decisions")
        .order_by("-updated_at")
    )
    drafts = [a for a in mine if a.support_request_id is None]
    sent = [a for a in mine if a.support_request_id is not None]
    audit.record_many(request, "assessment.listed", [*drafts, *sent])
    return render(request, "referrals/my_assessments.html", {"drafts": drafts, "sent": sent})


@permission(ASSESS)
def family_lookup(request: HttpRequest) -> HttpResponse:
    """Tell it once: is this child already open to early help? Names go by POST, never a URL."""
    form = FamilyLookupForm(posted(request))
    results = None
    if request.method == "POST" and form.is_valid():
        if not services.may_look_up(request.user, request):
            return render(request, "referrals/family_lookup_limit.html", status=429)
        results = services.find_open_records(**form.cleaned_data, by=request.user, request=request)
        services.flag_unusual_lookups(request.user)
        # Kept (in the session, never a URL) for the assessment this check leads to.
        request.session[_CHECKED_CHILD] = {
            "first_name": form.cleaned_data["first_name"],
            "last_name": form.cleaned_data["last_name"],
            "date_of_birth": form.cleaned_data["date_of_birth"].isoformat(),
        }
    return render(request, "referrals/family_lookup.html", {"form": form, "results": results})


_CHECKED_CHILD = "eha_checked_child"


@permission(ASSESS)
def safeguarding_screen(request: HttpRequest) -> HttpResponse:
    form = SafeguardingScreenForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["risk"]:
            return redirect("referrals:urgent")
        assessment = services.start_assessment(
            author=request.user, request=request, child=request.session.pop(_CHECKED_CHILD, None)
        )
        return redirect("referrals:task_list", assessment.pk)
    return render(request, "referrals/safeguarding_screen.html", {"form": form})


@permission(ASSESS)
def urgent(request: HttpRequest) -> HttpResponse:
    return render(request, "referrals/urgent.html")


# --- The assessment's task list and sections ------------------------------------------------


def _editable(request: HttpRequest, pk) -> Assessment:
    assessment = get_assessment_for(request.user, pk, write=True)
    if request.method == "GET":
        audit.record(request, "assessment.viewed", assessment)
    return assessment


def _saved(request, assessment: Assessment, section: str) -> HttpResponse:
    services.mark_complete(assessment, section)
    audit.record(request, "assessment.changed", assessment, section=section)
    return redirect("referrals:task_list", assessment.pk)


def _section_page(request, assessment, form, section: str, **extra) -> HttpResponse:
    return render(
        request,
        "referrals/section.html",
        {
            "assessment": assessment,
            "form": form,
            "title": services.SECTION_TITLES[section],
            **extra,
        },
    )


@permission(ASSESS)
def task_list(request: HttpRequest, pk) -> HttpResponse:
    assessment = _editable(request, pk)
    done = set(assessment.completed_sections)
    sections = [
        {"key": key, "title": title, "done": key in done, "url": _section_url(assessment, key)}
        for key, title in services.SECTIONS
    ]
    return render(
        request,
        "referrals/task_list.html",
        {
            "assessment": assessment,
            "sections": sections,
            "completed": len(done & set(services.SECTION_TITLES)),
            "total": len(sections),
            "children": assessment.family.people.filter(
                role__in=[Person.Role.CHILD, Person.Role.UNBORN]
            ).order_by("date_of_birth", "first_name"),
        },
    )


def _section_url(assessment: Assessment, key: str) -> str:
    """Each task list section's first page is the route named after its key."""
    return reverse(f"referrals:{key}", args=[assessment.pk])


def _assessment_fields_section(request, pk, form_class, section: str) -> HttpResponse:
    """A section whose form edits the assessment's own fields: show, validate, save, back."""
    assessment = _editable(request, pk)
    form = form_class(posted(request), instance=assessment)
    if request.method == "POST" and form.is_valid():
        form.save()
        return _saved(request, assessment, section)
    return _section_page(request, assessment, form, section)


@permission(ASSESS)
def about_you(request: HttpRequest, pk) -> HttpResponse:
    return _assessment_fields_section(request, pk, AboutYouForm, "about_you")


@permission(ASSESS)
def family(request: HttpRequest, pk) -> HttpResponse:
    assessment = _editable(request, pk)
    form = FamilyForm(posted(request), instance=assessment.family)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit.record(request, "family.changed", assessment.family, fields=form.changed_data)
        return redirect("referrals:people", assessment.pk)
    return _section_page(request, assessment, form, "family")


@permission(ASSESS)
def people(request: HttpRequest, pk) -> HttpResponse:
    assessment = _editable(request, pk)
    members = list(assessment.family.people.all())
    error = None
    if request.method == "POST":
        has_child = any(p.is_child for p in members)
        has_adult = any(not p.is_child for p in members)
        if not assessment.family.postcode:
            error = "Enter the family's address first"
        elif not (has_child and has_adult):
            error = "Add at least one child (or unborn baby) and one parent or carer"
        else:
            return _saved(request, assessment, "family")
    return render(
        request,
        "referrals/people.html",
        {
            "assessment": assessment,
            "people": members,
            "error": error,
            "title": "Family and household",
        },
    )


def _person_of(assessment: Assessment, person_pk) -> Person:
    return get_object_or_404(Person, pk=person_pk, family=assessment.family)


@permission(ASSESS)
def person(request: HttpRequest, pk, person_pk=None) -> HttpResponse:
    assessment = _editable(request, pk)
    instance = _person_of(assessment, person_pk) if person_pk else None
    form = PersonForm(posted(request), instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.family = assessment.family
        saved.save()
        audit.record(request, "person.added" if instance is None else "person.changed", saved)
        return redirect("referrals:people", assessment.pk)
    return render(
        request,
        "referrals/person.html",
        {"assessment": assessment, "form": form, "person": instance},
    )


@permission(ASSESS)
def remove_person(request: HttpRequest, pk, person_pk) -> HttpResponse:
    assessment = _editable(request, pk)
    member = _person_of(assessment, person_pk)
    if request.method == "POST":
        with transaction.atomic():
            audit.record(request, "person.removed", member)
            Consent.objects.filter(given_by=member).delete()
            member.delete()
        return redirect("referrals:people", assessment.pk)
    return render(
        request, "referrals/remove_person.html", {"assessment": assessment, "person": member}
    )


@permission(ASSESS)
def children(request: HttpRequest, pk) -> HttpResponse:
    assessment = _editable(request, pk)
    form = ChildrenForm(
        posted(request),
        family=assessment.family,
        initial={"subjects": list(assessment.subjects.all())},
    )
    if not form.fields["subjects"].queryset.exists():
        messages.info(request, "Add the children to the family and household first")
        return redirect("referrals:people", assessment.pk)
    if request.method == "POST" and form.is_valid():
        assessment.subjects.set(form.cleaned_data["subjects"])
        audit.record(request, "assessment.changed", assessment, section="children")
        return redirect("referrals:children_details", assessment.pk)
    return _section_page(request, assessment, form, "children")


@permission(ASSESS)
def children_details(request: HttpRequest, pk) -> HttpResponse:
    """Each chosen child, with their details (identifiers, equality data, SEND, school)."""
    assessment = _editable(request, pk)
    subjects = list(assessment.subjects.all())
    if not subjects:
        return redirect("referrals:children", assessment.pk)
    if request.method == "POST":
        return _saved(request, assessment, "children")
    return render(
        request,
        "referrals/children_details.html",
        {
            "assessment": assessment,
            "subjects": subjects,
            "title": "Children this assessment is about",
        },
    )


@permission(ASSESS)
def child_details(request: HttpRequest, pk, person_pk) -> HttpResponse:
    assessment = _editable(request, pk)
    member = _person_of(assessment, person_pk)
    if not member.is_child:
        raise Http404("Not a child in this family")
    form = ChildDetailsForm(posted(request), instance=member)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit.record(request, "person.changed", member, fields=form.changed_data)
        return redirect("referrals:children_details", assessment.pk)
    return render(
        request,
        "referrals/child_details.html",
        {"assessment": assessment, "form": form, "person": member},
    )


@permission(ASSESS)
def professionals(request: HttpRequest, pk) -> HttpResponse:
    """Professionals already involved, as rows; the section is done when the author says so."""
    assessment = _editable(request, pk)
    rows = list(assessment.professionals.select_related("child"))
    if request.method == "POST":
        return _saved(request, assessment, "professionals")
    return render(
        request,
        "referrals/professionals.html",
        {"assessment": assessment, "rows": rows, "title": "Professionals involved"},
    )


@permission(ASSESS)
def add_professional(request: HttpRequest, pk) -> HttpResponse:
    assessment = _editable(request, pk)
    form = ProfessionalForm(posted(request), assessment=assessment)
    if request.method == "POST" and form.is_valid():
        professional = form.save(commit=False)
        professional.assessment = assessment
        professional.save()
        audit.record(request, "assessment.changed", assessment, section="professionals")
        return redirect("referrals:professionals", assessment.pk)
    return render(request, "referrals/professional.html", {"assessment": assessment, "form": form})


@permission(ASSESS)
@require_POST
def remove_professional(request: HttpRequest, pk, professional_pk) -> HttpResponse:
    assessment = _editable(request, pk)
    professional = get_object_or_404(Professional, pk=professional_pk, assessment=assessment)
    professional.delete()
    audit.record(request, "assessment.changed", assessment, section="professionals")
    return redirect("referrals:professionals", assessment.pk)


@permission(ASSESS)
def consent(request: HttpRequest, pk) -> HttpResponse:
    assessment = _editable(request, pk)
    subjects = list(assessment.subjects.all())
    if not subjects:
        messages.info(request, "Choose the children this assessment is about first")
        return redirect("referrals:children", assessment.pk)
    recorded = {c.person_id: c for c in assessment.consents.select_related("given_by")}
    rows = [
        {"person": p, "consent": recorded.get(p.pk)}
        for p in services.consent_needed_from(assessment, subjects)
    ]
    error = None
    if request.method == "POST":
        missing = [r["person"].full_name for r in rows if r["consent"] is None]
        if missing:
            error = "Record consent for " + ", ".join(missing)
        else:
            return _saved(request, assessment, "consent")
    return render(
        request,
        "referrals/consent.html",
        {"assessment": assessment, "rows": rows, "error": error, "title": "Consent"},
    )


@permission(ASSESS)
def consent_for(request: HttpRequest, pk, person_pk) -> HttpResponse:
    assessment = _editable(request, pk)
    member = _person_of(assessment, person_pk)
    if member.pk not in {p.pk for p in services.consent_needed_from(assessment)}:
        raise Http404("Not someone whose consent this assessment needs")
    instance = assessment.consents.filter(person=member).first()
    form = ConsentForm(posted(request), instance=instance, person=member)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.assessment = assessment
        saved.person = member
        saved.save()
        audit.record(request, "consent.recorded", saved)
        return redirect("referrals:consent", assessment.pk)
    return render(
        request,
        "referrals/consent_for.html",
        {"assessment": assessment, "form": form, "person": member},
    )


@permission(ASSESS)
def needs(request: HttpRequest, pk) -> HttpResponse:
    assessment = _editable(request, pk)
    initial = {"reason": assessment.reason}
    for need in assessment.needs.all():
        initial[f"need_{need.area}"] = need.detail
        initial[f"descriptors_{need.area}"] = need.descriptors
        initial[f"evidence_{need.area}"] = need.evidence_source
        initial[f"evidence_on_{need.area}"] = need.evidence_on
    form = NeedsForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            assessment.reason = form.cleaned_data["reason"]
            chosen = form.needs()
            assessment.needs.exclude(area__in=chosen).delete()
            for area, need in chosen.items():
                AssessmentNeed.objects.update_or_create(
                    assessment=assessment, area=area, defaults=need
                )
            return _saved(request, assessment, "needs")
    return _section_page(request, assessment, form, "needs")


@permission(ASSESS)
def signs_of_safety(request: HttpRequest, pk) -> HttpResponse:
    return _assessment_fields_section(request, pk, SignsOfSafetyForm, "signs_of_safety")


@permission(ASSESS)
def voices(request: HttpRequest, pk) -> HttpResponse:
    return _assessment_fields_section(request, pk, VoicesForm, "voices")


def _answers(assessment: Assessment) -> dict:
    """Everything the assessment says, for check-your-answers and the read-only summary."""
    from referrals.framework import eligibility, framework

    family = assessment.family
    consents = {c.person_id: c for c in assessment.consents.select_related("given_by")}
    subjects = list(assessment.subjects.all())
    people = list(family.people.select_related("child")) if family else []
    needs = list(assessment.needs.all())
    descriptors = framework().descriptors
    for need in needs:
        need.descriptor_texts = [descriptors[k].text for k in need.descriptors if k in descriptors]
    return {
        "assessment": assessment,
        "family": family,
        "people": people,
        "subjects": subjects,
        "consents": [
            (p, consents.get(p.pk)) for p in services.consent_needed_from(assessment, subjects)
        ],
        "needs": needs,
        "need_areas": NeedArea,
        "professionals": list(assessment.professionals.select_related("child")),
        "eligibility": eligibility(
            has_children=bool(subjects), areas=[need.area for need in needs]
        ),
    }


@permission(ASSESS)
def check_answers(request: HttpRequest, pk) -> HttpResponse:
    assessment = _editable(request, pk)
    problems = services.submission_problems(assessment)
    form = DeclarationForm(posted(request), completing=assessment.episode_id is not None)
    if request.method == "POST" and not problems and form.is_valid():
        try:
            if assessment.episode_id:
                episodes.complete_assessment(assessment, by=request.user, request=request)
            else:
                services.submit_assessment(
                    assessment_id=assessment.pk, by=request.user, request=request
                )
        except ValidationError as error:
            problems = [services.Problem("check", message) for message in error.messages]
        else:
            if assessment.episode_id:
                messages.success(request, "Assessment completed and added to the episode")
                return redirect("referrals:episode", assessment.episode_id)
            return redirect("referrals:sent", assessment.pk)
    return render(
        request,
        "referrals/check_answers.html",
        {
            **_answers(assessment),
            "form": form,
            "problems": [
                (
                    p,
                    _section_url(assessment, p.section)
                    if p.section in services.SECTION_TITLES
                    else "",
                )
                for p in problems
            ],
        },
    )


@permission(ASSESS)
def sent(request: HttpRequest, pk) -> HttpResponse:
    assessment = (
        Assessment.objects.select_related("support_request__hub")
        .filter(pk=pk, author=request.user)
        .exclude(support_request=None)
        .first()
    )
    if assessment is None:
        raise Http404("No such assessment")
    audit.record(request, "assessment.viewed", assessment)
    return render(request, "referrals/sent.html", {"assessment": assessment})


# --- Anyone who may see a request: its read-only summary ------------------------------------


@permission(ASSESS)
def summary(request: HttpRequest, pk) -> HttpResponse:
    support_request = get_support_request_for(request.user, pk)
    audit.record(request, "supportrequest.viewed", support_request)
    context = {
        "support_request": support_request,
        "decisions": support_request.decisions.select_related(
            "decided_by", "lead_practitioner", "to_hub", "from_hub"
        ).prefetch_related("services"),
    }
    if support_request.kind == SupportRequest.Kind.ASSESSMENT:
        audit.record(request, "assessment.viewed", support_request.assessment)
    context.update(_contact_details(support_request))
    return render(request, "referrals/summary.html", context)


# --- Hub managers: the front door -----------------------------------------------------------


@permission(TRIAGE)
def front_door(request: HttpRequest) -> HttpResponse:
    waiting = Q(support_requests__status=SupportRequest.Status.AWAITING_DECISION)
    hubs = hubs_triaged_by(request.user).annotate(
        waiting=Count("support_requests", filter=waiting),
        overdue=Count(
            "support_requests",
            filter=waiting & Q(support_requests__decision_due__lt=timezone.localdate()),
        ),
    )
    unrouted = None
    if request.user.has_perm("referrals.view_every_supportrequest"):
        unrouted = triage_queue_for(request.user, None).awaiting_decision().count()
    return render(
        request,
        "referrals/front_door.html",
        {"hubs": hubs.order_by("name"), "unrouted": unrouted},
    )


def _queue_page(request: HttpRequest, hub: Hub | None, queryset, title: str) -> HttpResponse:
    filters = QueueFilterForm(request.GET or None)
    filters.is_valid()
    data = getattr(filters, "cleaned_data", {})
    if data.get("status") != "all":
        queryset = queryset.filter(
            status__in=[
                SupportRequest.Status.AWAITING_DECISION,
                SupportRequest.Status.MORE_INFORMATION,
            ]
        )
    if data.get("kind"):
        queryset = queryset.filter(kind=data["kind"])
    if data.get("sort") == "received":
        queryset = queryset.order_by("-received_at")
    else:
        queryset = queryset.order_by("decision_due", "received_at")
    page = Paginator(queryset.select_related("hub", "submitted_by"), 50).get_page(
        request.GET.get("page")
    )
    audit.record_many(request, "supportrequest.listed", page.object_list)
    return render(
        request,
        "referrals/queue.html",
        {
            "hub": hub,
            "page": page,
            "filters": filters,
            "title": title,
            "today": timezone.localdate(),
        },
    )


@permission(TRIAGE)
def queue(request: HttpRequest, slug: str) -> HttpResponse:
    hub = get_object_or_404(Hub, slug=slug)
    if not hubs_triaged_by(request.user).filter(pk=hub.pk).exists():
        raise PermissionDenied
    return _queue_page(request, hub, triage_queue_for(request.user, hub), f"{hub.name}: front door")


@permission("referrals.view_every_supportrequest")
def unrouted(request: HttpRequest) -> HttpResponse:
    return _queue_page(
        request, None, triage_queue_for(request.user, None), "Requests that need a hub"
    )


@permission(TRIAGE)
def triage(request: HttpRequest, pk) -> HttpResponse:
    support_request = get_support_request_for(request.user, pk, triage=True)
    query = request.POST.get("service_search", "") if request.method == "POST" else ""
    leads = request.POST.get("lead_search", "") if request.method == "POST" else ""
    finding = "find_services" in request.POST or "find_leads" in request.POST
    if finding:
        # "Find services" (or someone else to lead) is not the decision: the page comes back
        # with what was found and everything typed so far, and no error messages yet.
        typed = {name: request.POST.get(name) for name in request.POST if name != "services"}
        form = DecisionForm(
            initial={**typed, "services": request.POST.getlist("services")},
            support_request=support_request,
            service_query=query,
            lead_query=leads,
        )
    else:
        form = DecisionForm(
            posted(request),
            support_request=support_request,
            initial={"version": support_request.version},
            service_query=query,
            lead_query=leads,
        )
    beaten = None
    if request.method == "POST" and not finding and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.decide(
                support_request_id=support_request.pk,
                seen_version=data["version"],
                by=request.user,
                kind=data["kind"],
                reason=data["reason"],
                lead_practitioner=data["lead_practitioner"],
                to_hub=data["to_hub"],
                services=data["services"],
                level_of_need=data["level_of_need"],
                contact_outcome=data["contact_outcome"],
                request=request,
            )
        except services.AlreadyDecided as error:
            beaten = error.latest
            support_request.refresh_from_db()
        except ValidationError as error:
            # Children not yet checked against their records, or a lead the family said must
            # not see their details.
            field = "kind" if "children's records" in error.messages[0] else "lead_practitioner"
            form.add_error(field, error.messages[0])
            support_request.refresh_from_db()
        else:
            messages.success(request, _decided_message(support_request, decision))
            if decision.kind == Decision.Kind.TRANSFER or support_request.hub is None:
                return redirect("referrals:front_door")
            return redirect("referrals:queue", support_request.hub.slug)
    else:
        audit.record(request, "supportrequest.viewed", support_request)
    context = {
        "support_request": support_request,
        "form": form,
        "beaten": beaten,
        "decisions": support_request.decisions.select_related(
            "decided_by", "lead_practitioner", "to_hub", "from_hub"
        ),
        "can_decide": support_request.status == SupportRequest.Status.AWAITING_DECISION
        and beaten is None,
    }
    context.update(_contact_details(support_request))
    context["waiting_children"] = records.waiting_children(support_request.family)
    return render(request, "referrals/triage.html", context)


def _decided_message(support_request: SupportRequest, decision: Decision) -> str:
    said = {
        Decision.Kind.ALLOCATE: f"{decision.lead_practitioner} is now the lead practitioner",
        Decision.Kind.MORE_INFORMATION: "more information was asked for",
        Decision.Kind.STEP_UP: "stepped up to children's social care",
        Decision.Kind.SIGNPOST: "signposted and closed",
        Decision.Kind.TRANSFER: "transferred",
        Decision.Kind.CONTACT_FAMILY: "contact with the family recorded",
    }[decision.kind]
    return f"Decision recorded for {support_request.reference}: {said}"


def _contact_details(support_request: SupportRequest) -> dict:
    """What the contact says, by route: an assessment's answers, a parent's request, or what
    hub staff recorded with the people it names."""
    if support_request.kind == SupportRequest.Kind.ASSESSMENT:
        return _answers(support_request.assessment)
    if support_request.kind == SupportRequest.Kind.FAMILY_REQUEST:
        context = {"family_request": support_request.family_request}
    else:
        context = {"recorded_contact": support_request.recorded_contact}
    context["people"] = (
        list(support_request.family.people.select_related("child"))
        if support_request.family_id
        else []
    )
    return context


# --- Parents and carers: ask for help -------------------------------------------------------

_FORM_SESSION = "ask_for_help"
_SENT_SESSION = "ask_for_help_sent"
_MIN_SECONDS = 3  # a person cannot fill the form faster; a bot usually does


_STEPS = {step.slug: step for step in ASK_FOR_HELP_STEPS}


@public(form=AskForHelpForm)
@never_cache
def ask_for_help(request: HttpRequest, step: str = ASK_FOR_HELP_STEPS[0].slug) -> HttpResponse:
    """One question page of a parent's request. Each answer waits in their session until
    they check their answers and send them, so going back or changing one loses nothing."""
    page = _STEPS.get(step)
    if page is None:
        raise Http404
    stash = request.session.get(_FORM_SESSION) or {}
    answers = stash.get("data", {})
    first = page is ASK_FOR_HELP_STEPS[0]
    if not first and not stash:
        return redirect("referrals:ask_for_help")
    if page.slug == "contact-details" and not answers.get("contact_method"):
        return redirect("referrals:ask_for_help_step", "contact")
    names = page.fields_for(answers)
    options = {"only": names, "heading": page.heading or None}
    if request.method == "POST":
        given = {name: request.POST.get(name) for name in names if name in request.POST}
        others = {name: value for name, value in answers.items() if name not in names}
        form = AskForHelpForm({**others, **given}, **options)
        if form.is_valid():
            if form.cleaned_data.get("website"):
                # A bot filled the hidden field: say nothing useful, store nothing.
                request.session.pop(_FORM_SESSION, None)
                return render(request, "referrals/ask_for_help_refused.html", status=400)
            if page is ASK_FOR_HELP_STEPS[-1] and _too_fast(stash.get("started")):
                form.add_error(None, gettext("Check your answers, then select continue"))
            else:
                stash = {
                    "key": stash.get("key") or str(uuid.uuid4()),
                    "started": stash.get("started") or request.POST.get("started"),
                    "reviewed": stash.get("reviewed", False),
                    "data": {**others, **_draft({n: form.cleaned_data.get(n) for n in names})},
                }
                request.session[_FORM_SESSION] = stash
                return redirect(_after(page, stash))
    else:
        # On a page in another language, "which language would you like us to use?" starts
        # with that language's name, in English, for the hub.
        language = get_language()
        suggested = {}
        if language != settings.LANGUAGE_CODE and "language" not in answers:
            suggested["language"] = english_name(language)
        form = AskForHelpForm(initial={**suggested, **answers}, **options)
    index = ASK_FOR_HELP_STEPS.index(page)
    if stash.get("reviewed"):
        back = reverse("referrals:ask_for_help_check")
    elif index:
        back = reverse("referrals:ask_for_help_step", args=[ASK_FOR_HELP_STEPS[index - 1].slug])
    else:
        back = ""
    return render(
        request,
        "referrals/ask_for_help.html",
        {
            "form": form,
            "page": page,
            "title": page.title or form.fields[page.heading].label,
            "first": first,
            "back": back,
            "question": index + 1,
            "questions": len(ASK_FOR_HELP_STEPS),
            "started": signing.dumps(timezone.now().timestamp(), salt="ask-for-help"),
        },
    )


def _after(page, stash: dict) -> str:
    """The next question, or "check your answers" once the parent has seen them (which sends
    them back to any question a change has left unanswered)."""
    index = ASK_FOR_HELP_STEPS.index(page)
    if stash["reviewed"] or index == len(ASK_FOR_HELP_STEPS) - 1:
        return reverse("referrals:ask_for_help_check")
    return reverse("referrals:ask_for_help_step", args=[ASK_FOR_HELP_STEPS[index + 1].slug])


def _unanswered(form: AskForHelpForm) -> str:
    """The first question page holding an answer the whole request still needs."""
    answers = form.data
    for step in ASK_FOR_HELP_STEPS:
        if any(name in form.errors for name in step.fields_for(answers)):
            return reverse("referrals:ask_for_help_step", args=[step.slug])
    return reverse("referrals:ask_for_help")


def _draft(answers: dict) -> dict:
    """What the draft keeps between the form and "check your answers": only what the parent
    answered. It lives in their session until they send it or delete it, or the session expires
    (SESSION_IDLE_TIMEOUT_MINUTES) and the scheduled clearsessions removes the row."""
    return {
        name: value
        for name, value in answers.items()
        if name != "website" and value not in ("", None, [])
    }


def _too_fast(token: str | None) -> bool:
    try:
        started = signing.loads(token or "", salt="ask-for-help", max_age=6 * 60 * 60)
    except signing.BadSignature:
        return True
    return timezone.now().timestamp() - float(started) < _MIN_SECONDS


@public
@never_cache  # the parent's answers: no copy in a shared or browser cache
def ask_for_help_check(request: HttpRequest) -> HttpResponse:
    stash = request.session.get(_FORM_SESSION)
    if request.method == "POST" and request.POST.get("key") == request.session.get(
        _SENT_SESSION, {}
    ).get("key"):
        return redirect("referrals:ask_for_help_sent")  # a second click on "Send"
    if not stash:
        return redirect("referrals:ask_for_help")
    if request.method == "POST" and request.POST.get("delete"):
        # The parent changed their mind: nothing they typed stays on the server.
        request.session.flush()
        return render(request, "referrals/ask_for_help_deleted.html")
    form = AskForHelpForm(stash["data"])
    if not form.is_valid():
        return redirect(_unanswered(form))
    if not stash.get("reviewed"):
        request.session[_FORM_SESSION] = {**stash, "reviewed": True}
    if request.method == "POST":
        if request.POST.get("key") != stash["key"]:
            return redirect("referrals:ask_for_help_check")
        sender = services.sender_hash(audit.client_ip(request))
        if services.too_many_requests_from(sender):
            return render(request, "referrals/ask_for_help_too_many.html", status=429)
        data = {k: v for k, v in form.cleaned_data.items() if k != "website"}
        family_request = services.submit_family_request(
            data=data, submission_key=uuid.UUID(stash["key"]), request=request
        )
        request.session[_SENT_SESSION] = {
            "key": stash["key"],
            "id": str(family_request.support_request_id),
        }
        del request.session[_FORM_SESSION]
        return redirect("referrals:ask_for_help_sent")
    rows = [
        (step.slug, form[name])
        for step in ASK_FOR_HELP_STEPS
        for name in step.fields_for(form.cleaned_data)
        if name not in ("website", "consent_to_contact", "consent_to_share")
    ]
    return render(
        request,
        "referrals/ask_for_help_check.html",
        {"form": form, "rows": rows, "key": stash["key"]},
    )


@public
@never_cache
def ask_for_help_sent(request: HttpRequest) -> HttpResponse:
    sent_id = request.session.get(_SENT_SESSION, {}).get("id")
    support_request = (
        SupportRequest.objects.select_related("hub").filter(pk=sent_id).first() if sent_id else None
    )
    if support_request is None:
        return redirect("referrals:ask_for_help")
    return render(request, "referrals/ask_for_help_sent.html", {"support_request": support_request})
