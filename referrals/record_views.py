"""The family record's pages: contacts hub staff record (a phone call, a MASH step-across, a
step-down), checking a contact's children against their records, a child's record over time,
merging two records, and a legal hold that stops the retention schedule for a family record.

Contacts are fetched through the front door's selector (hub managers of the contact's hub and
administrators); children's records through ``records.get_child_for``. Both scope in the query.
"""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from earlyhelp import audit
from earlyhelp.access import permission, posted
from hubs.models import Hub
from referrals import episodes, records, services
from referrals.contact_forms import AddChildForm, ContactForm, MatchForm, MergeForm, StepDownForm
from referrals.models import ChildMerge, Household, Person, SupportRequest
from referrals.selectors import get_support_request_for, hubs_triaged_by

TRIAGE = "referrals.triage_supportrequest"
MERGE = "referrals.merge_child"


def _hub(request: HttpRequest, slug: str) -> Hub:
    hub = get_object_or_404(Hub, slug=slug)
    if not hubs_triaged_by(request.user).filter(pk=hub.pk).exists():
        raise PermissionDenied
    return hub


def _family_fields(form) -> dict:
    return {"postcode": form.cleaned_data["postcode"]}


@permission(TRIAGE)
def record_contact(request: HttpRequest, slug: str) -> HttpResponse:
    """Hub staff put a phone call or a MASH step-across on the family's record."""
    hub = _hub(request, slug)
    form = ContactForm(posted(request))
    if request.method == "POST" and form.is_valid():
        contact = services.record_contact(
            kind=form.cleaned_data["kind"],
            hub=hub,
            source=form.cleaned_data["source"],
            contact=form.contact(),
            family=_family_fields(form),
            children=form.children(),
            adults=form.adults(),
            by=request.user,
            request=request,
        )
        messages.success(
            request, f"Contact {contact.reference} recorded: it is in {hub.name}'s queue"
        )
        return redirect("referrals:contact_children", contact.pk)
    return render(request, "referrals/record_contact.html", {"hub": hub, "form": form})


@permission("referrals.add_episode")
def step_down(request: HttpRequest, slug: str) -> HttpResponse:
    """Children's social care hands a family to early help: the contact goes on the family's
    record, is allocated and opens an episode. No earlier assessment is needed."""
    hub = _hub(request, slug)
    form = StepDownForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            episode = _step_down(request, hub, form)
        except ValidationError as error:
            form.add_error("lead_email", error.messages[0])
        else:
            messages.success(
                request,
                f"Episode opened from the step-down. {form.lead} is the lead practitioner and "
                "their assessment is due.",
            )
            return redirect("referrals:episode", episode.pk)
    return render(request, "referrals/episode/step_down.html", {"hub": hub, "form": form})


def _step_down(request, hub, form):
    from django.db import transaction

    with transaction.atomic():
        episodes.check_lead(form.lead, None)
        contact = services.record_contact(
            kind=SupportRequest.Kind.STEP_DOWN,
            hub=hub,
            source="social_care",
            contact=form.contact(),
            family=_family_fields(form),
            children=form.children(),
            adults=form.adults(),
            by=request.user,
            request=request,
        )
        return episodes.step_down(
            support_request=contact,
            lead=form.lead,
            reason=form.cleaned_data["summary"],
            level_of_need=form.cleaned_data["level_of_need"],
            by=request.user,
            request=request,
        )


# --- Checking a contact's children against their records ----------------------------------------


@permission(TRIAGE)
def contact_children(request: HttpRequest, pk) -> HttpResponse:
    """Each child on a contact: linked to their record, or the records they may be, with the
    differences, to link one or confirm a new child. Staff can add a child they learned of."""
    contact = get_support_request_for(request.user, pk, triage=True)
    people = (
        list(
            Person.objects.filter(family=contact.family, role__in=records.YOUNG).select_related(
                "child", "family"
            )
        )
        if contact.family_id
        else []
    )
    rows = []
    for person in people:
        matches = [] if person.child_id else records.find_matches(records.Details.of(person))
        form = MatchForm(matches=matches, person=person)
        rows.append({"person": person, "matches": matches, "form": form})
    add_form = AddChildForm(posted(request) if "add-child" in request.POST else None)
    if request.method == "POST" and "add-child" in request.POST:
        if add_form.is_valid():
            services.add_child_to_contact(
                contact, details=add_form.details(), by=request.user, request=request
            )
            messages.success(request, "Child added to the contact")
            return redirect("referrals:contact_children", contact.pk)
    elif request.method == "POST":
        person = next((r for r in rows if str(r["person"].pk) == request.POST.get("person")), None)
        if person is None or person["person"].child_id:
            return redirect("referrals:contact_children", contact.pk)
        form = MatchForm(request.POST, matches=person["matches"], person=person["person"])
        person["form"] = form
        if form.is_valid():
            choice = form.cleaned_data["record"]
            try:
                if choice == MatchForm.NEW:
                    child = records.confirm_new(person["person"], by=request.user, request=request)
                    messages.success(request, f"New record {child.reference} made")
                else:
                    child = records.link(
                        person["person"],
                        form.matches[choice].child,
                        by=request.user,
                        request=request,
                    )
                    messages.success(request, f"Linked to {child.reference}")
            except ValidationError as error:
                form.add_error("record", error.messages[0])
            else:
                return redirect("referrals:contact_children", contact.pk)
    audit.record(request, "supportrequest.children_viewed", contact)
    return render(
        request,
        "referrals/contact_children.html",
        {
            "contact": contact,
            "rows": rows,
            "add_form": add_form,
            "waiting": sum(1 for r in rows if not r["person"].child_id),
        },
    )


# --- A child's record ----------------------------------------------------------------------------


@permission("referrals.view_episode")
def child_record(request: HttpRequest, pk) -> HttpResponse:
    child = records.get_child_for(request.user, pk, request=request)
    return render(
        request,
        "referrals/child_record.html",
        {
            "child": child,
            "can_merge": request.user.has_perm(MERGE),
            **records.history(child),
        },
    )


@permission(MERGE)
def merge_child(request: HttpRequest, pk) -> HttpResponse:
    child = records.get_child_for(request.user, pk, request=request, manage=True)
    form = MergeForm(posted(request), candidates=records.children_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            records.merge(
                kept=child,
                merged=form.other_child,
                reason=form.cleaned_data["reason"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            form.add_error("other", error.messages[0])
        else:
            messages.success(request, f"{form.other_child.reference} merged into {child.reference}")
            return redirect("referrals:child", child.pk)
    return render(request, "referrals/merge_child.html", {"child": child, "form": form})


@permission(MERGE)
@require_POST
def undo_merge(request: HttpRequest, pk) -> HttpResponse:
    record = (
        ChildMerge.objects.filter(
            pk=pk, undone_at=None, kept__in=records.children_for(request.user)
        )
        .select_related("kept")
        .first()
    )
    if record is None:
        raise Http404
    restored = records.unmerge(record, by=request.user, request=request)
    messages.success(request, f"Merge undone: {restored.reference} is a separate record again")
    return redirect("referrals:child", record.kept_id)


# --- A legal hold on the family record ------------------------------------------------------------


class LegalHoldForm(forms.Form):
    reason = forms.CharField(
        label="Why the family's records must be kept",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, a complaint, a court case or an inquiry. This is recorded.",
        error_messages={"required": "Enter why the family's records must be kept"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.textarea("reason"), Submit("hold", "Place a legal hold"))


@permission(MERGE)
def legal_hold(request: HttpRequest, pk) -> HttpResponse:
    """Stop the retention schedule for the child's family record, or lift the stop."""
    child = records.get_child_for(request.user, pk, request=request, manage=True)
    household = child.household
    form = LegalHoldForm(None if "lift" in request.POST else posted(request))
    if request.method == "POST" and "lift" in request.POST and household.legal_hold_reason:
        Household.objects.filter(pk=household.pk).update(
            legal_hold_reason="", legal_hold_by=None, legal_hold_at=None
        )
        audit.record(request, "household.legal_hold_lifted", household)
        messages.success(request, "Legal hold lifted: the retention schedule applies again")
        return redirect("referrals:child", child.pk)
    if request.method == "POST" and form.is_valid():
        Household.objects.filter(pk=household.pk).update(
            legal_hold_reason=form.cleaned_data["reason"],
            legal_hold_by=request.user,
            legal_hold_at=timezone.now(),
        )
        audit.record(request, "household.legal_hold_placed", household)
        messages.success(request, "Legal hold placed: nothing about this family will be removed")
        return redirect("referrals:child", child.pk)
    return render(
        request, "referrals/legal_hold.html", {"child": child, "household": household, "form": form}
    )
