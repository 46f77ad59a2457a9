from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict:
    """The council's and the service's names and safeguarding contact, for every page."""
    return {
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "council": settings.COUNCIL,
        "re_referral_months": settings.RE_REFERRAL_MONTHS,
    }
