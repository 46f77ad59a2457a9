from django.urls import path

from hubs import views

app_name = "hubs"
urlpatterns = [
    path("find-your-hub/", views.find_your_hub, name="find"),
    path("hubs/", views.hub_list, name="list"),
    path("hubs/<slug:slug>/", views.hub_detail, name="detail"),
    path("manage/coverage/", views.coverage_report, name="coverage_report"),
    path("manage/coverage/add/", views.add_coverage_rule, name="add_coverage_rule"),
]
