"""Saving a place: coordinates and hub from the gazetteer, each field's change in its history."""

from django.db import transaction

from directory.models import ListingChange, Location
from earlyhelp import audit


@transaction.atomic
def save_place(form, *, postcode, hub, by, request=None) -> Location:
    place = form.instance
    adding = place._state.adding
    fields = list(form.Meta.fields)
    before = {} if adding else _shown(Location.objects.get(pk=place.pk), fields)
    place = form.save(commit=False)
    place.latitude, place.longitude = postcode.latitude, postcode.longitude
    place.hub = hub
    if adding:
        place.slug = _unique_slug(place.name)
    place.save()
    after = _shown(place, fields)
    changed = [
        {
            "field": f,
            "label": str(Location._meta.get_field(f).verbose_name).capitalize(),
            "before": before.get(f, ""),
            "after": after[f],
        }
        for f in fields
        if before.get(f) != after[f]
    ]
    ListingChange.objects.create(
        location=place, changed_by=by, summary="Added" if adding else "Changed", fields=changed
    )
    audit.record(request, "location.created" if adding else "location.changed", place, user=by)
    return place


def _shown(place: Location, fields) -> dict:
    out = {}
    for field in fields:
        value = getattr(place, field)
        if field == "location_type":
            value = place.get_location_type_display()
        out[field] = "Yes" if value is True else "No" if value is False else str(value or "")
    return out


def _unique_slug(name: str) -> str:
    from django.utils.text import slugify

    base = slugify(name)[:180] or "place"
    slug, number = base, 2
    while Location.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug
