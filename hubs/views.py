from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from earlyhelp import audit, versions
from earlyhelp.access import permission, posted, public
from hubs import councils, maps
from hubs.forms import CoverageRuleForm, FindYourHubForm
from hubs.models import CoverageGap, CoverageRule, Hub
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
    # No wrong door: a postcode in another council this deployment serves links to its answer.
    elsewhere = councils.on_this_deployment(answer.local_authority_code)
    return render(
        request,
        f"hubs/answer_{answer.outcome.value}.html",
        {
            "form": form,
            "answer": answer,
            "hub": answer.hub,
            # An answer page is kept, rendered, per postcode as typed and language while the
            # hubs and their coverage are unchanged (hubs.maps.VERSION).
            "answer_key": request.GET["postcode"][:32],
            "hubs_version": versions.current(maps.VERSION),
            "elsewhere_url": (
                f"{councils.address_of(elsewhere)}{request.path}?{request.GET.urlencode()}"
                if elsewhere is not None and councils.address_of(elsewhere)
                else ""
            ),
        },
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
            "rules": CoverageRule.objects.select_related("hub").order_by("hub__name", "area"),
        },
    )


@permission("hubs.add_coveragerule")
def add_coverage_rule(request: HttpRequest) -> HttpResponse:
    """Give an area without a hub its hub, from the coverage report (not the Django admin)."""
    area = request.GET.get("area", "")[:20]
    form = CoverageRuleForm(posted(request), initial={"area": area})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            rule = form.save()
            # Look-ups recorded for the area (or, for a district, its sectors) are answered now.
            CoverageGap.objects.filter(
                Q(area=rule.area) | Q(area__startswith=f"{rule.area} ")
            ).delete()
            audit.record(request, "coverage_rule.added", rule, area=rule.area, hub=rule.hub.slug)
        messages.success(request, f"{rule.area} now goes to the {rule.hub.name}")
        return redirect("hubs:coverage_report")
    return render(request, "hubs/coverage_rule_form.html", {"form": form})
