from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.scorecard_view, name="scorecard"),
    path("records/<slug:measure>/", views.records_view, name="records"),
    path("returns/", views.returns_view, name="returns"),
]
