"""Administrators record data protection requests and produce a subject access export."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from earlyhelp import audit
from earlyhelp.access import permission, posted
from privacy.export import export_zip
from privacy.forms import OutcomeForm, RightsRequestForm
from privacy.models import RightsRequest

MANAGE = "privacy.change_rightsrequest"


@permission(MANAGE)
def request_list(request: HttpRequest) -> HttpResponse:
    requests = list(RightsRequest.objects.select_related("child"))
    audit.record_many(request, "rights_request.listed", requests)  # each request on the page
    return render(
        request,
        "privacy/request_list.html",
        {"requests": requests, "today": timezone.localdate()},
    )


@permission(MANAGE)
def new_request(request: HttpRequest) -> HttpResponse:
    form = RightsRequestForm(posted(request))
    if request.method == "POST" and form.is_valid():
        record = RightsRequest.objects.create(
            kind=form.cleaned_data["kind"],
            child=form.child,
            requester_name=form.cleaned_data["requester_name"],
            relationship=form.cleaned_data["relationship"],
            received_on=form.cleaned_data["received_on"],
            details=form.cleaned_data["details"],
            recorded_by=request.user,
        )
        audit.record(request, "rights_request.recorded", record, kind=record.kind)
        messages.success(request, f"Request recorded: it is due by {record.due_on:%-d %B %Y}")
        return redirect("privacy:request", record.pk)
    return render(request, "privacy/new_request.html", {"form": form})


@permission(MANAGE)
def request_detail(request: HttpRequest, pk) -> HttpResponse:
    record = get_object_or_404(RightsRequest.objects.select_related("child", "recorded_by"), pk=pk)
    form = OutcomeForm(posted(request))
    if request.method == "POST" and not record.closed_on and form.is_valid():
        record.outcome = form.cleaned_data["outcome"]
        record.closed_on = timezone.localdate()
        record.save(update_fields=["outcome", "closed_on"])
        audit.record(request, "rights_request.closed", record, kind=record.kind)
        messages.success(request, "Request closed and its outcome recorded")
        return redirect("privacy:request", record.pk)
    audit.record(request, "rights_request.viewed", record)
    return render(
        request,
        "privacy/request.html",
        {"record": record, "form": form, "today": timezone.localdate()},
    )


@permission(MANAGE)
def download_export(request: HttpRequest, pk) -> HttpResponse:
    """Made afresh on each request and never stored: the zip goes straight to the browser."""
    record = get_object_or_404(RightsRequest.objects.select_related("child"), pk=pk)
    content, counts = export_zip(record, record.child)
    audit.record(request, "subject_access.exported", record, **counts)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="subject-access-{record.child.reference}.zip"'
    )
    return response
