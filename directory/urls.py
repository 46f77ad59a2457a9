from django.urls import path

from directory import views

app_name = "directory"
urlpatterns = [
    path("services/", views.service_search, name="search"),
    path("services/<uuid:pk>/", views.service_detail, name="service"),
    path("places/<slug:slug>/", views.place_detail, name="place"),
    path("libraries/", views.library_list, name="libraries"),
    path("life-stages/", views.life_stage_list, name="life_stages"),
    path("life-stages/<slug:stage>/", views.life_stage_detail, name="life_stage"),
]
