from django import template

from hubs.maps import borough_map
from hubs.models import Postcode

register = template.Library()


@register.inclusion_tag("hubs/_map.html")
def hub_map(hub=None, latitude=None, longitude=None, label="", postcode=None):
    """The borough's hub areas as an SVG map, optionally marking a point: a place's location,
    or a searched full postcode (looked up in the postcode data)."""
    point = (latitude, longitude) if latitude is not None and longitude is not None else None
    if postcode:
        found = Postcode.objects.filter(postcode=postcode).first()
        if found is not None:
            point, label = (found.latitude, found.longitude), label or postcode
    return {"map": borough_map(hub=hub, point=point, point_label=label), "hub": hub}
