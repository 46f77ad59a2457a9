from django.urls import path

from privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.request_list, name="requests"),
    path("new/", views.new_request, name="new_request"),
    path("<uuid:pk>/", views.request_detail, name="request"),
    path("<uuid:pk>/export/", views.download_export, name="export"),
]
