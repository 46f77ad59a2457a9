from directory.models import Service
from tests.factories import sign_in


def test_pages_render(client, mo, west_service):
    sign_in(client, mo)
    for url in [
        "/manage/listings/",
        "/manage/services/",
        f"/manage/services/{west_service.pk}/",
        f"/manage/services/{west_service.pk}/history/",
        f"/manage/services/{west_service.pk}/places/",
        f"/manage/services/{west_service.pk}/courses/add/",
        "/manage/places/",
        "/manage/places/add/",
        "/manage/services/import/",
        "/manage/services/add/",
    ] + [f"/manage/services/{west_service.pk}/edit/{s}/" for s in
         ["organisation", "name", "description", "support", "who", "languages", "cost",
          "access", "delivery", "contacts"]]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    assert client.get("/manage/services/export.csv").status_code == 200


def test_edit_saves(client, mo, west_service):
    sign_in(client, mo)
    response = client.post(
        f"/manage/services/{west_service.pk}/edit/name/",
        {"name": "New name", "summary": "New summary", "version": west_service.version},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    west_service.refresh_from_db()
    assert west_service.name == "New name"
    assert west_service.changes.first().fields[0]["after"] == "New name"
