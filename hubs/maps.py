"""A map of the borough's hub areas, drawn on the server as SVG from the postcode data the
portal already holds: no tiles, no third-party requests, no JavaScript, CSP stays 'self'.

The council's postcodes are gathered into cells of about 300 m; each cell takes the colour of
the hub that covers most of its postcodes (by the same coverage rules as "find your hub").
Hub offices are numbered; a searched postcode can be marked.
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from earlyhelp import versions
from hubs import councils
from hubs.models import CoverageRule, Hub, Postcode

CELL_DEGREES = 0.004  # latitude; longitude cells are widened to stay square on the ground
WIDTH = 600
MARGIN = 16
# GOV.UK colours, distinct for colour-blind readers too, then grey for no hub.
PALETTE = ["#1d70b8", "#00703c", "#912b88", "#f47738", "#28a197", "#4c2c92", "#b58840"]
NO_HUB = "#b1b4b6"


def _faded(colour: str, strength: float = 0.35) -> str:
    """The colour mixed with white (not transparency, which darkens where cells overlap)."""
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(255 - (255 - c) * strength):02x}" for c in rgb)


@dataclass
class Marker:
    x: float
    y: float
    label: str
    number: int | None = None


@dataclass
class BoroughMap:
    width: int
    height: int
    cells_svg: SafeString  # the coloured cells, drawn once per version and highlight
    offices: list[Marker]
    legend: list[tuple[str, str, str]]  # (hub name, colour, slug)
    marker: Marker | None = None
    title: str = ""
    description: str = ""


def _hub_for(postcode: Postcode, rules: dict[str, int]) -> int | None:
    for area in (postcode.postcode, postcode.ward_code, postcode.sector, postcode.district):
        if area in rules:
            return rules[area]
    return None


# This process's copy of the grid and of its cells drawn as SVG (one per highlighted hub), kept
# while the shared version token (earlyhelp.versions) is the same: a page then costs one small
# read of the shared cache, not working out two thousand cells and rendering each one. Changes
# to hubs and coverage rules bump the token (hubs.apps), which every app server sees at once.
VERSION = "hubs-map"
_drawn = versions.Kept(VERSION)


def forget_map(**kwargs) -> None:
    versions.bump(VERSION)


def _current_grid() -> dict:
    return _drawn.get_or_build(("grid", councils.current_council_id()), _grid)


def _cells_svg(grid: dict, colours: dict, hub: Hub | None) -> SafeString:
    """The cells as SVG rectangles: numbers and colours only, so safe to write as they are."""

    def draw() -> SafeString:
        rects = []
        for x, y, size, hub_id in grid["cells"]:
            colour = colours.get(hub_id, NO_HUB)
            if hub is not None and hub_id != hub.pk:
                colour = _faded(colour)
            side = round(size + 0.2, 1)
            rects.append(
                f'<rect x="{round(x, 1)}" y="{round(y, 1)}" width="{side}" height="{side}" '
                f'fill="{colour}"/>'
            )
        return mark_safe("".join(rects))  # noqa: S308 (numbers and colours)

    key = ("svg", councils.current_council_id(), hub.pk if hub is not None else None)
    return _drawn.get_or_build(key, draw)


def _grid() -> dict:
    """The coloured cells and the projection, worked out once per version of the data."""
    council = councils.current().ons_code
    postcodes = list(
        Postcode.objects.filter(local_authority_code=council).only(
            "postcode", "sector", "district", "ward_code", "latitude", "longitude"
        )
    )
    if not postcodes:
        return {}
    rules = {
        area or ward_code: hub_id
        for area, ward_code, hub_id in CoverageRule.objects.values_list(
            "area", "ward_code", "hub_id"
        )
    }
    south = min(p.latitude for p in postcodes)
    north = max(p.latitude for p in postcodes)
    west = min(p.longitude for p in postcodes)
    east = max(p.longitude for p in postcodes)
    squash = math.cos(math.radians((north + south) / 2))
    lon_cell = CELL_DEGREES / squash
    votes: dict[tuple[int, int], Counter] = defaultdict(Counter)
    for postcode in postcodes:
        key = (
            int((postcode.longitude - west) / lon_cell),
            int((north - postcode.latitude) / CELL_DEGREES),
        )
        votes[key][_hub_for(postcode, rules)] += 1
    scale = (WIDTH - 2 * MARGIN) / ((east - west) * squash + CELL_DEGREES)
    height = int((north - south + CELL_DEGREES) * scale) + 2 * MARGIN
    size = CELL_DEGREES * scale
    cells = [
        (MARGIN + col * size, MARGIN + row * size, size, counter.most_common(1)[0][0])
        for (col, row), counter in sorted(votes.items())
    ]
    return {
        "hubs": list(Hub.objects.order_by("name")),
        "north": north,
        "west": west,
        "squash": squash,
        "scale": scale,
        "height": height,
        "cells": cells,
    }


def borough_map(*, hub: Hub | None = None, point=None, point_label: str = "") -> BoroughMap | None:
    """The map, with ``hub`` (if given) drawn strongest and ``point`` (lat, lon) marked."""
    grid = _current_grid()
    if not grid.get("cells"):
        return None
    hubs = grid["hubs"]
    colours = {h.pk: PALETTE[i % len(PALETTE)] for i, h in enumerate(hubs)}

    def project(latitude: float, longitude: float) -> tuple[float, float]:
        x = MARGIN + (longitude - grid["west"]) * grid["squash"] * grid["scale"]
        y = MARGIN + (grid["north"] - latitude) * grid["scale"]
        return round(x, 1), round(y, 1)

    # On a hub's own page, the other hubs' areas fade so its own stands out.
    cells_svg = _cells_svg(grid, colours, hub)
    offices = [
        Marker(*project(h.latitude, h.longitude), label=h.name, number=n)
        for n, h in enumerate(hubs, start=1)
    ]
    marker = None
    if point is not None:
        x, y = project(*point)
        if 0 <= x <= WIDTH and 0 <= y <= grid["height"]:
            marker = Marker(x, y, label=point_label)
    names = ", ".join(h.name for h in hubs)
    council = councils.current().name
    title = gettext("Map of %(council)s's early help hub areas") % {"council": council}
    description = " ".join(
        part
        for part in [
            ngettext(
                "%(council)s divided into the area of its %(count)s hub (%(names)s), "
                "in its own colour, with the hub's office numbered.",
                "%(council)s divided into the areas of its %(count)s hubs (%(names)s), "
                "each in its own colour, with each hub's office numbered.",
                len(hubs),
            )
            % {"council": council, "count": len(hubs), "names": names},
            gettext("%(place)s is marked with a cross.") % {"place": point_label} if marker else "",
            gettext("The areas each hub covers are listed in words on its page."),
        ]
        if part
    )
    return BoroughMap(
        width=WIDTH,
        height=grid["height"],
        cells_svg=cells_svg,
        offices=offices,
        legend=[(h.name, colours[h.pk], h.slug) for h in hubs],
        marker=marker,
        title=title,
        description=description,
    )
