from django import template

from hubs.maps import borough_map

register = template.Library()


@register.inclusion_tag("hubs/_map.html")
def hub_map(hub=None, latitude=None, longitude=None, label=""):
    """The borough's hub areas as an SVG map, optionally marking a point: a place's location,
    or a searched postcode's (find_hub's answer carries it, so no second look-up)."""
    point = (latitude, longitude) if latitude is not None and longitude is not None else None
    return {"map": borough_map(hub=hub, point=point, point_label=label), "hub": hub}
