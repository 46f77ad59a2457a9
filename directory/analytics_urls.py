"""Search analytics pages, included by the project's URLconf under "reports/"."""

from django.urls import path

from directory import analytics_views

app_name = "search_analytics"
urlpatterns = [
    path("searches/", analytics_views.searches, name="searches"),
    path("searches/not-found/", analytics_views.not_found, name="not_found"),
]
