from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from directory.api import open_data
from earlyhelp import views
from earlyhelp.i18n import choose_language

# The admin asks for the two-factor code too.
admin.site.__class__ = OTPAdminSite

# Every page is at its English address and at /<language>/ + that address (earlyhelp/i18n.py);
# the open data feed, the health check and the admin are in English only.
urlpatterns = i18n_patterns(
    path("", views.home, name="home"),
    path("your-work/", views.staff_home, name="staff_home"),
    path("", include("hubs.urls")),
    path("", include("accounts.urls")),
    path("", include("directory.urls")),
    path("", include("referrals.urls")),
    path("service-feedback/", views.feedback, name="feedback"),
    path("service-feedback/sent/", views.feedback_sent, name="feedback_sent"),
    path("reports/feedback/", views.feedback_report, name="feedback_report"),
    path("reports/", include("reports.urls")),
    path("manage/privacy/", include("privacy.urls")),
    path("reports/", include("directory.analytics_urls")),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("cookies/", views.cookies, name="cookies"),
    path("about-the-data/", views.about_data, name="about_data"),
    path("open-data/", open_data, name="open_data"),
    prefix_default_language=False,
) + [
    path("language/", choose_language, name="choose_language"),
    path("api/openreferral/", include("directory.api_urls")),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

handler404 = "earlyhelp.errors.not_found"
handler500 = "earlyhelp.errors.server_error"
handler400 = "earlyhelp.errors.bad_request"
handler403 = "earlyhelp.errors.forbidden"
