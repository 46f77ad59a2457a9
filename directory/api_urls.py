"""The Open Referral UK 3.0 feed, mounted at /api/openreferral/ (paths as in its OpenAPI
document: no trailing slashes)."""

from django.urls import path

from directory import api

app_name = "oruk"
urlpatterns = [
    path("", api.root, name="root"),
    path("services", api.services, name="services"),
    path("services/<str:id>", api.service, name="service"),
    path("service_at_locations", api.service_at_locations, name="service_at_locations"),
    path("service_at_locations/<str:id>", api.service_at_location, name="service_at_location"),
    path("taxonomies", api.taxonomies, name="taxonomies"),
    path("taxonomies/<str:id>", api.taxonomy, name="taxonomy"),
    path("taxonomy_terms", api.taxonomy_terms, name="taxonomy_terms"),
    path("taxonomy_terms/<str:id>", api.taxonomy_term, name="taxonomy_term"),
]
