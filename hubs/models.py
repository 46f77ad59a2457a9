import math

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Q, When
from django.db.models.functions import Length
from django.urls import reverse
from django_scopes import ScopedManager

from hubs.councils import current_council_id
from hubs.postcodes import area_level

# A coverage area is a district ("HA8"), a sector ("NW9 4") or a full postcode ("N2 8LG").
AREA_PATTERN = r"^[A-Z]{1,2}[0-9][0-9A-Z]?( [0-9]([A-Z]{2})?)?$"


class Council(models.Model):
    """A council running its early help service on this deployment, loaded from data/<slug>/.

    Every row a council owns carries it (``council``, first in its indexes), and those models'
    managers only answer inside a council's scope (hubs/councils.py): a query that forgets the
    council fails loudly instead of reading every council's rows.
    """

    slug = models.SlugField(max_length=50, unique=True, help_text="Its folder under data/.")
    ons_code = models.CharField(
        "ONS code",
        max_length=9,
        unique=True,
        help_text="The local authority's GSS code, like E09000003 for Barnet.",
    )
    name = models.CharField(max_length=100, unique=True)
    full_name = models.CharField(max_length=200)
    host_names = ArrayField(
        models.CharField(max_length=253),
        default=list,
        blank=True,
        help_text="The host names its pages answer on, like barnet.localhost.",
    )
    is_default = models.BooleanField(
        default=False, help_text="Answers host names no council claims, like 127.0.0.1."
    )
    # The council's data file (council.json): safeguarding contacts, levels of need, languages,
    # branding and the sources of each.
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_council"
            ),
            models.CheckConstraint(
                condition=Q(ons_code__regex=r"^[ENSW][0-9]{8}$"), name="council_ons_code_format"
            ),
        ]

    def __str__(self) -> str:
        return self.name


def council_field(**kwargs) -> models.ForeignKey:
    """The council a row belongs to: by default the council of the request (or command) that
    creates it."""
    return models.ForeignKey(
        Council, on_delete=models.PROTECT, default=current_council_id, related_name="+", **kwargs
    )


class Postcode(models.Model):
    """A live postcode from OS Code-Point Open, with its local authority and ward."""

    postcode = models.CharField(max_length=8, primary_key=True)
    district = models.CharField(max_length=4, db_index=True)
    sector = models.CharField(max_length=6, db_index=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    local_authority_code = models.CharField(max_length=9, db_index=True)
    local_authority_name = models.CharField(max_length=100)
    ward_code = models.CharField(max_length=9, blank=True)
    ward_name = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["postcode"]

    def __str__(self) -> str:
        return self.postcode


class PostcodeDistrict(models.Model):
    """A postcode district (outward code) of Great Britain, with its centroid."""

    district = models.CharField(max_length=4, primary_key=True)
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    postcode_count = models.PositiveIntegerField()
    main_local_authority_code = models.CharField(max_length=9)
    main_local_authority_name = models.CharField(max_length=100)
    main_local_authority_share = models.FloatField()
    local_authority_count = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["district"]

    def __str__(self) -> str:
        return self.district


class DataRelease(models.Model):
    """Which version of a bundled data file is in the database, so the loader runs once per file."""

    name = models.CharField(max_length=100, unique=True)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    loaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.rows} rows)"


class Hub(models.Model):
    """A Child and Family Early Help Hub: an office families and professionals can contact."""

    council = council_field()
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100)
    office_name = models.CharField(max_length=200)
    address = models.CharField(max_length=300)
    postcode = models.CharField(max_length=8)
    phone = models.CharField(max_length=30)
    email = models.EmailField(blank=True)
    opening_times = models.TextField(
        blank=True, help_text="Leave blank when not confirmed: the page then says to phone first."
    )
    how_to_get_help = models.TextField(
        help_text="Plain English: walk in, phone, or ask a GP or school."
    )
    latitude = models.FloatField()
    longitude = models.FloatField()
    source = models.CharField(
        max_length=300, blank=True, help_text="Where these details come from."
    )
    is_sample = models.BooleanField(
        default=False, help_text="Made up for demonstration: the pages say so."
    )

    objects = ScopedManager(council="council")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "slug"], name="hub_slug_per_council"),
            models.UniqueConstraint(fields=["council", "name"], name="hub_name_per_council"),
            models.CheckConstraint(
                condition=Q(
                    latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180
                ),
                name="hub_coordinates_on_earth",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("hubs:detail", kwargs={"slug": self.slug})

    @property
    def phone_uri(self) -> str:
        return "tel:+44" + "".join(ch for ch in self.phone if ch.isdigit()).removeprefix("0")

    @property
    def map_url(self) -> str:
        return (
            f"https://www.openstreetmap.org/?mlat={self.latitude:.5f}&mlon={self.longitude:.5f}"
            f"#map=17/{self.latitude:.5f}/{self.longitude:.5f}"
        )

    def distance_km(self, latitude: float, longitude: float) -> float:
        """Great-circle distance from this hub's office, in kilometres."""
        lat1, lon1, lat2, lon2 = map(
            math.radians, (self.latitude, self.longitude, latitude, longitude)
        )
        a = (
            math.sin((lat2 - lat1) / 2) ** 2
            + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
        )
        return 2 * 6371.0088 * math.asin(math.sqrt(a))


class CoverageRuleQuerySet(models.QuerySet):
    def matching(self, *areas: str, ward_code: str = "") -> "CoverageRuleQuerySet":
        """Rules for any of these areas (or the ward), most specific first: a postcode, then a
        ward, a sector, a district."""
        wanted = Q(area__in=[a for a in areas if a])
        if ward_code:
            wanted |= Q(ward_code=ward_code)
        return (
            self.filter(wanted)
            .select_related("hub")
            .order_by(
                Case(
                    When(area__regex=r" [0-9][A-Z]{2}$", then=0), When(area="", then=1), default=2
                ),
                Length("area").desc(),
            )
        )

    def within_district(self, district: str) -> "CoverageRuleQuerySet":
        """Rules for the district itself and for any sector or postcode inside it."""
        return self.filter(Q(area=district) | Q(area__startswith=f"{district} "))


class CoverageRule(models.Model):
    """Which hub covers a district, a sector or a single postcode; the most specific rule wins."""

    LEVELS = ("district", "sector", "postcode")

    council = council_field()
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="coverage_rules")
    area = models.CharField(
        max_length=8,
        blank=True,
        help_text='A district ("HA8"), a sector ("NW9 4") or a full postcode ("N2 8LG").',
    )
    # Or a whole ward (its GSS code), for a council whose hubs follow wards, like Hackney's.
    ward_code = models.CharField(max_length=9, blank=True)
    ward_name = models.CharField(max_length=100, blank=True)
    reason = models.TextField(blank=True, help_text="Why this area goes to this hub.")

    objects = ScopedManager(models.Manager.from_queryset(CoverageRuleQuerySet), council="council")

    class Meta:
        ordering = ["area", "ward_code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(area__regex=AREA_PATTERN) & Q(ward_code="")
                | Q(area="") & Q(ward_code__regex=r"^[ENSW][0-9]{8}$"),
                name="coverage_area_or_ward",
            ),
            models.UniqueConstraint(
                fields=["council", "area"], condition=~Q(area=""), name="coverage_area_per_council"
            ),
            models.UniqueConstraint(
                fields=["council", "ward_code"],
                condition=~Q(ward_code=""),
                name="coverage_ward_per_council",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area or self.ward_name or self.ward_code} → {self.hub}"

    @property
    def level(self) -> str | None:
        return "ward" if self.ward_code else area_level(self.area)

    def clean(self) -> None:
        self.area = " ".join(self.area.upper().split())
        if self.ward_code and not self.area:
            return
        if area_level(self.area) is None:
            raise ValidationError(
                {"area": "Enter a district like HA8, a sector like NW9 4 or a postcode like N2 8LG"}
            )


class CoverageGap(models.Model):
    """An area of the council where a lookup found no coverage rule (recorded, not the postcode).

    Only the sector (or district) is kept, never the full postcode someone typed.
    """

    council = council_field()
    area = models.CharField(max_length=8)
    lookups = models.PositiveIntegerField(default=0)
    first_seen = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(auto_now=True)

    objects = ScopedManager(council="council")

    class Meta:
        ordering = ["-lookups", "area"]
        constraints = [
            models.UniqueConstraint(fields=["council", "area"], name="coverage_gap_per_council"),
        ]

    def __str__(self) -> str:
        return self.area
