"""UK postcode parsing: turn what a person typed into a canonical postcode or district.

People type postcodes in every shape ("n28lg", " N2  8LG ", "N2-8LG."); we accept any case, any
spacing and stray punctuation, then check the result against the UK format.
"""

import re
from dataclasses import dataclass

# Longest thing worth parsing: "GIR 0AA" and "SW1A 1AA" are 7-8 characters; allow some slack for
# spaces and punctuation before rejecting outright, so a pasted essay is not run through a regex.
MAX_INPUT_LENGTH = 32

_OUTWARD = (
    r"[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPS-UW]|[A-HK-Y][0-9][ABEHMNPRV-Y])"
)
_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
_FULL = re.compile(rf"^({_OUTWARD})({_INWARD})$")
_DISTRICT = re.compile(rf"^({_OUTWARD})$")
_KEEP = re.compile(r"[^A-Z0-9]")


@dataclass(frozen=True)
class ParsedPostcode:
    """A full postcode ("N2 8LG") or a district alone ("N2", postcode is then None)."""

    district: str
    postcode: str | None = None

    @property
    def sector(self) -> str | None:
        return self.postcode[:-2] if self.postcode else None

    @property
    def is_full(self) -> bool:
        return self.postcode is not None

    def __str__(self) -> str:
        return self.postcode or self.district


def compact(value: str) -> str:
    """Upper-case letters and digits only: what is left of a postcode after tidying."""
    return _KEEP.sub("", value.upper())


def parse(value: str) -> ParsedPostcode | None:
    """Parse a full postcode or a district; None when it is neither."""
    if not value or len(value) > MAX_INPUT_LENGTH:
        return None
    text = compact(value)
    if text == "GIR0AA":
        return ParsedPostcode(district="GIR", postcode="GIR 0AA")
    if match := _FULL.match(text):
        outward, inward = match.groups()
        return ParsedPostcode(district=outward, postcode=f"{outward} {inward}")
    if _DISTRICT.match(text):
        return ParsedPostcode(district=text)
    return None


def area_level(area: str) -> str | None:
    """Whether a coverage area ("HA8", "NW9 4", "N2 8LG") is a district, sector or postcode."""
    outward, _, inward = area.partition(" ")
    if not _DISTRICT.match(outward):
        return None
    if inward == "":
        return "district" if " " not in area else None
    if re.fullmatch(r"[0-9]", inward):
        return "sector"
    if re.fullmatch(_INWARD, inward):
        return "postcode"
    return None
