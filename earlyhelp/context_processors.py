from functools import cache

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, reverse

# The pages every page links to (header, navigation, footer), reversed once per process rather
# than by a dozen {% url %} tags on every request.
LINKED_FROM_EVERY_PAGE = [
    "home",
    "staff_home",
    "hubs:find",
    "hubs:list",
    "directory:search",
    "directory:dashboard",
    "referrals:ask_for_help",
    "referrals:my_assessments",
    "referrals:caseload",
    "referrals:connections",
    "referrals:front_door",
    "reports:scorecard",
    "accounts:sign_in",
    "accounts:sign_out",
    "feedback",
    "accessibility",
    "privacy",
    "cookies",
    "about_data",
    "open_data",
]


@cache
def _links(script_prefix: str) -> dict[str, str]:
    return {name.replace(":", "_"): reverse(name) for name in LINKED_FROM_EVERY_PAGE}


def service(request: HttpRequest) -> dict:
    """The council's and the service's names and safeguarding contact, for every page."""
    return {
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "council": settings.COUNCIL,
        "re_referral_months": settings.RE_REFERRAL_MONTHS,
        "links": _links(get_script_prefix()),
    }
