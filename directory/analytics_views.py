"""Reports on what parents search the directory for (see directory/analytics.py).

For people who read reports: hub managers see the searches in their hubs' areas; analysts and
administrators see every area and may choose one hub's.
"""

from datetime import date

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from directory import analytics
from directory.models import RecordedSearch
from earlyhelp.access import permission
from hubs.models import Hub

VIEW_REPORTS = "reports.view_reports"


class SearchReportForm(forms.Form):
    """Which searches to report on: a period, and a hub for those who see more than one."""

    period = forms.ChoiceField(
        label="Period",
        choices=[(key, label) for key, (label, _) in analytics.PERIODS.items()],
        initial=analytics.DEFAULT_PERIOD,
        required=False,
        widget=forms.RadioSelect,
    )
    hub = forms.ModelChoiceField(
        label="Hub area",
        queryset=Hub.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label="All hubs",
    )

    def __init__(self, *args, hubs: QuerySet[Hub], **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = f"Choose a {field.label.lower()} from the list"
        fields = [Field.radios("period", legend_size=Size.SMALL, inline=True, small=True)]
        hubs = hubs.order_by("name")
        if len(hubs) > 1:
            self.fields["hub"].queryset = hubs
            fields.append(Field.select("hub", legend_size=Size.SMALL))
        else:
            del self.fields["hub"]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            *fields, Submit("show", "Show searches", css_class="govuk-button--secondary")
        )


def _chosen(request: HttpRequest) -> tuple[SearchReportForm, QuerySet[RecordedSearch], dict]:
    """The filter form, the searches it selects (authorised for the user) and what was chosen.
    A value that is not one of the choices is shown as an error and the default used."""
    hubs = analytics.hubs_reported_to(request.user)
    form = SearchReportForm(request.GET or None, hubs=hubs)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    period = data.get("period") or analytics.DEFAULT_PERIOD
    hub = data.get("hub")
    start: date = analytics.period_start(period)
    searches = analytics.searches_for(request.user, hub=hub).since(start)
    chosen = {
        "period": period,
        "period_label": analytics.PERIODS[period][0],
        "start": start,
        "hub": hub,
        "hubs": [hub] if hub is not None else list(hubs.order_by("name")),
        "every_hub": request.user.has_perm(analytics.EVERY_HUB),
        "query": request.GET.urlencode(),
        "keep_months": analytics.retention_months(),
    }
    return form, searches, chosen


@permission(VIEW_REPORTS)
@require_safe
def searches(request: HttpRequest) -> HttpResponse:
    form, recorded, chosen = _chosen(request)
    return render(
        request,
        "directory/analytics/searches.html",
        {
            "form": form,
            **chosen,
            "totals": recorded.aggregate(**analytics.counts()),
            "top": analytics.top_searches(recorded),
            "not_found": analytics.not_found(recorded, limit=20),
            "by_hub": analytics.by_hub(recorded),
            "weekly": analytics.weekly(recorded, chosen["start"]),
        },
    )


@permission(VIEW_REPORTS)
@require_safe
def not_found(request: HttpRequest) -> HttpResponse:
    """What parents look for and do not find: searches with no results, grouped by words."""
    form, recorded, chosen = _chosen(request)
    return render(
        request,
        "directory/analytics/not_found.html",
        {
            "form": form,
            **chosen,
            "rows": analytics.not_found(recorded),
            "limit": analytics.NOT_FOUND_ROWS,
        },
    )
