"""Reports for hub managers (their hubs), performance analysts and administrators (every hub).

Figures only: an analyst sees no case page. Someone who may see case records can open the list
behind a figure, and that list is scoped to what they may see (the front door's and the TAF's
own selectors). Every look and every download is audited.
"""

import csv
from datetime import date

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from earlyhelp import audit
from earlyhelp.access import permission
from earlyhelp.fields import GovDateField
from hubs import councils
from hubs.models import Hub, Postcode
from referrals.episodes import episodes_for
from referrals.models import SupportRequest
from referrals.records import children_for
from referrals.selectors import support_requests_for
from reports import periods, returns
from reports.scorecard import MEASURES, Scope, measure_rows, scorecard

VIEW = "reports.view_reports"
EVERY_HUB = "reports.view_every_hub_report"
EXPORT = "reports.export_returns"


def hubs_reported_to(user) -> list[Hub]:
    if user.has_perm(EVERY_HUB):
        return list(Hub.objects.order_by("name"))
    return list(user.managed_hubs.order_by("name"))


def wards() -> list[tuple[str, str]]:

    code = councils.current().ons_code
    return list(
        Postcode.objects.filter(local_authority_code=code)
        .exclude(ward_code="")
        .values_list("ward_code", "ward_name")
        .distinct()
        .order_by("ward_name")
    )


class ReportFilterForm(forms.Form):
    period = forms.ChoiceField(label="Period", required=False)
    start = GovDateField(label="From (for custom dates)", required=False)
    end = GovDateField(label="To (for custom dates)", required=False)
    hub = forms.ChoiceField(label="Hub", required=False)
    ward = forms.ChoiceField(label="Ward", required=False)

    def __init__(self, *args, hubs, today: date, every: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [*periods.choices(today), ("custom", "Custom dates")]
        everything = "All hubs" if every else "All your hubs"
        self.fields["hub"].choices = [("", everything), *[(h.slug, h.name) for h in hubs]]
        self.fields["ward"].choices = [("", "All wards"), *wards()]
        self.hubs = {h.slug: h for h in hubs}
        self.today = today

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("period") or self.fields["period"].choices[0][0]
        if choice == "custom":
            start, end = cleaned.get("start"), cleaned.get("end")
            if not start and "start" not in self.errors:
                self.add_error("start", "Enter the first day of the period")
            if not end and "end" not in self.errors:
                self.add_error("end", "Enter the last day of the period")
            if start and end:
                if end < start:
                    self.add_error("end", "The last day must be on or after the first day")
                elif start.year < 2000 or end > self.today.replace(year=self.today.year + 1):
                    self.add_error("start", "Choose dates between 2000 and next year")
                else:
                    cleaned["the_period"] = periods.custom(start, end)
        else:
            cleaned["the_period"] = periods.parse(choice)
        return cleaned

    def chosen_period(self) -> periods.Period:
        data = getattr(self, "cleaned_data", {})
        return data.get("the_period") or periods.parse(self.fields["period"].choices[0][0])

    def scope(self, hubs: list[Hub], every: bool) -> Scope:
        data = getattr(self, "cleaned_data", {})
        chosen = self.hubs.get(data.get("hub") or "")
        if chosen is not None:
            scoped = (chosen.pk,)
        else:
            scoped = None if every else tuple(h.pk for h in hubs)
        return Scope(scoped, data.get("ward") or "")


def _filters(request: HttpRequest):
    hubs = hubs_reported_to(request.user)
    every = request.user.has_perm(EVERY_HUB)
    form = ReportFilterForm(request.GET or None, hubs=hubs, today=timezone.localdate(), every=every)
    form.is_valid()
    return form, form.chosen_period(), form.scope(hubs, every)


def _csv(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


def may_open_records(user) -> bool:
    """Analysts see figures only; staff who work with families can open the records behind
    a figure (and then only those their own access allows)."""
    return user.has_perm("referrals.view_episode")


@permission(VIEW)
def scorecard_view(request: HttpRequest) -> HttpResponse:
    form, period, scope = _filters(request)
    sections = scorecard(period, scope)
    download = request.GET.get("download")
    if download:
        section = next((s for s in sections if s.key == download), None)
        if section is not None:
            audit.record(request, "report.downloaded", None, report=section.key)
            return _csv(
                f"{section.key}-{period.start}-{period.end}.csv",
                ["measure", *section.columns],
                [[row.label, *row.values] for row in section.rows],
            )
    audit.record(request, "report.viewed", None, report="scorecard")
    return render(
        request,
        "reports/scorecard.html",
        {
            "form": form,
            "period": period,
            "sections": sections,
            "query": request.GET.urlencode(),
            "can_open_records": may_open_records(request.user),
            "can_export": request.user.has_perm(EXPORT),
        },
    )


@permission(VIEW)
def records_view(request: HttpRequest, measure: str) -> HttpResponse:
    """The records behind a figure, within the reader's own access to case records."""
    if measure not in MEASURES:
        return render(request, "errors/404.html", status=404)
    if not may_open_records(request.user):
        raise PermissionDenied
    form, period, scope = _filters(request)
    kind, queryset_for = MEASURES[measure]
    found = queryset_for(period, scope)
    route = request.GET.get("kind", "")
    if kind == "contact" and route in SupportRequest.Kind.values:
        found = found.filter(kind=route)
    if kind == "child":
        rows = list(
            found.filter(pk__in=children_for(request.user).values("pk")).order_by("number")[:500]
        )
    elif kind == "contact":
        rows = list(
            found.filter(pk__in=support_requests_for(request.user).values("pk"))
            .select_related("hub")
            .order_by("-received_at")[:500]
        )
    else:
        rows = list(
            found.filter(pk__in=episodes_for(request.user).values("pk"))
            .select_related("hub", "lead_practitioner", "support_request")
            .order_by("-opened_at")[:500]
        )
    total = found.count()
    audit.record_many(request, f"{kind}.listed_in_report", rows, measure=measure)
    return render(
        request,
        "reports/records.html",
        {
            "kind": kind,
            "rows": rows,
            "total": total,
            "measure": measure,
            "period": period,
            "query": request.GET.urlencode(),
        },
    )


class ReturnForm(forms.Form):
    at = GovDateField(label="Annex A: the date the list runs to", required=False)
    year = forms.ChoiceField(label="Supporting Families: financial year", required=False)

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        fy = periods.financial_year_of(today)
        self.fields["year"].choices = [
            (str(y), periods.financial_year(y).label) for y in range(fy, fy - 4, -1)
        ]


@permission(EXPORT)
def returns_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = ReturnForm(request.GET or None, today=today)
    which = request.GET.get("return")
    if which and form.is_valid():
        if which == "annex_a":
            at = form.cleaned_data.get("at") or today
            if at.year < 2000 or at > today:
                form.add_error("at", "The date must be today or in the past, after 2000")
            else:
                audit.record(request, "return.downloaded", None, report="annex_a", at=str(at))
                return _csv(
                    f"annex-a-early-help-{at}.csv",
                    returns.ANNEX_A_COLUMNS,
                    returns.annex_a_rows(at),
                )
        elif which == "supporting_families":
            year = int(form.cleaned_data.get("year") or periods.financial_year_of(today))
            audit.record(request, "return.downloaded", None, report="sf_quarterly", year=year)
            return _csv(
                f"supporting-families-{year}.csv",
                returns.SF_COLUMNS,
                returns.sf_quarterly_rows(year),
            )
        elif which == "scorecard":
            fy = periods.financial_year(periods.financial_year_of(today))
            audit.record(request, "return.downloaded", None, report="scorecard")
            return _csv(
                f"scorecard-{fy.start}-{fy.end}.csv",
                ["measure", "breakdown", "value"],
                measure_rows(fy, Scope()),
            )
    audit.record(request, "report.viewed", None, report="returns")
    return render(request, "reports/returns.html", {"form": form, "today": today})
