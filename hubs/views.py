from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from earlyhelp.access import permission, public
from hubs.forms import FindYourHubForm
from hubs.models import CoverageGap, Hub
from hubs.selectors import areas_covered_by, uncovered_sectors
from hubs.services import find_hub


@public(params=["postcode"])
@require_safe
def find_your_hub(request: HttpRequest) -> HttpResponse:
    """Which hub is mine? A GET form, so the answer page can be bookmarked and shared."""
    if "postcode" not in request.GET:
        return render(request, "hubs/find_your_hub.html", {"form": FindYourHubForm()})
    form = FindYourHubForm(request.GET)
    if not form.is_valid():
        return render(request, "hubs/find_your_hub.html", {"form": form})
    answer = find_hub(form.cleaned_data["postcode"])
    return render(
        request,
        f"hubs/answer_{answer.outcome.value}.html",
        {"form": form, "answer": answer, "hub": answer.hub},
    )


@public
@require_safe
def hub_list(request: HttpRequest) -> HttpResponse:
    return render(request, "hubs/hub_list.html", {"hubs": Hub.objects.all()})


@public
@require_safe
def hub_detail(request: HttpRequest, slug: str) -> HttpResponse:
    hub = get_object_or_404(Hub, slug=slug)
    return render(request, "hubs/hub_detail.html", {"hub": hub, "areas": areas_covered_by(hub)})


@permission("hubs.view_coveragegap")
@require_safe
def coverage_report(request: HttpRequest) -> HttpResponse:
    """For hub managers: where the coverage rules leave council postcodes without a hub."""
    sectors = uncovered_sectors()
    return render(
        request,
        "hubs/coverage_report.html",
        {
            "sectors": sectors,
            "uncovered_postcodes": sum(s.postcodes for s in sectors),
            "gaps": CoverageGap.objects.all()[:100],
        },
    )
