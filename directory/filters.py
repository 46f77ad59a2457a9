"""The service search: a django-filter FilterSet over published services.

Filters narrow the set; free text ranks it (PostgreSQL full-text search, with a trigram match on
names for typing mistakes); a postcode limits it to services within a distance of that postcode
and orders it nearest first.
"""

import copy
import functools
import math
import uuid
from functools import cached_property

import django_filters
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Layout, Size
from django import forms
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.cache import cache
from django.core.paginator import Page
from django.db.models import (
    Count,
    Exists,
    F,
    FloatField,
    Func,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, Lower
from django.utils.html import format_html
from django.utils.translation import get_language, gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from directory.apps import DIRECTORY_VERSION
from directory.models import (
    LIFE_STAGE_AGES,
    LifeStage,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
    Weekday,
)
from directory.pagination import COUNT_LIMIT, CappedPaginator
from directory.search import build_queries, corrected, literal_query, tidy, translated_queries
from earlyhelp import versions
from earlyhelp.replicas import connection_for_reading
from hubs import councils
from hubs.forms import PostcodeField
from hubs.maps import VERSION as HUBS_VERSION
from hubs.models import Postcode, PostcodeDistrict

METRES_PER_MILE = 1609.344
METRES_PER_DEGREE = 111_320  # of latitude; of longitude, times cos(latitude)
DISTANCES = [("1", _("Within 1 mile")), ("2", _("Within 2 miles")), ("5", _("Within 5 miles")),
             ("10", _("Within 10 miles"))]  # fmt: skip
DEFAULT_MILES = "5"
PER_PAGE = [("10", "10"), ("20", "20")]
# The languages a service can be given in, named in the reader's language.
LANGUAGES = [
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("bn", _("Bengali")),
    ("zh", _("Chinese")),
    ("fa", _("Farsi (Persian)")),
    ("fr", _("French")),
    ("he", _("Hebrew")),
    ("pl", _("Polish")),
    ("pt", _("Portuguese")),
    ("ro", _("Romanian")),
    ("so", _("Somali")),
    ("es", _("Spanish")),
    ("ta", _("Tamil")),
    ("tr", _("Turkish")),
    ("uk", _("Ukrainian")),
    ("ur", _("Urdu")),
]
LANGUAGE_NAMES = dict(LANGUAGES)


def _either(first: SearchQuery | None, second: SearchQuery | None) -> SearchQuery | None:
    """Either query matching; either alone if the other is None."""
    if first is None or second is None:
        return first if second is None else second
    return first | second


def _page_number(number, pages: int) -> int:
    """The page asked for, as Paginator.get_page reads it: not a number, the first; past the
    end, the last."""
    try:
        number = int(number)
    except (TypeError, ValueError):
        return 1
    return min(max(1, number), max(1, pages))


# Words matching more than COUNT_LIMIT services are ranked over at most twice this many (#18).
CANDIDATES = 300

# Near a postcode, past COUNT_LIMIT matches, the services at up to this many nearby places are
# checked against the words; with more places, the matches are checked for a place nearby
# (_nearest_page, #18).
FEW_PLACES = 500


# A search's counts near a postcode kept with its matches (_nearest_page), at most this
# many places' for each search.
COUNTS_KEPT = 100


# Categories change rarely (the loader, or an administrator); every search page lists them.
CHOICES_CACHE_SECONDS = 300


def category_choices() -> list[tuple[str, str]]:
    """Level-1 categories."""
    return cache.get_or_set(
        "directory:category-choices",
        lambda: list(
            TaxonomyTerm.objects.filter(taxonomy="dfe-family-hubs", parent=None).values_list(
                "slug", "name"
            )
        ),
        CHOICES_CACHE_SECONDS,
    )


def topic_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Level-2 terms grouped under their level-1 category, for a select with option groups."""

    def build():
        terms = TaxonomyTerm.objects.filter(taxonomy="dfe-family-hubs").select_related("parent")
        groups: dict[str, list[tuple[str, str]]] = {}
        for term in terms:
            if term.parent_id is not None:
                groups.setdefault(term.parent.name, []).append((term.slug, term.name))
        # Kept untranslated (the cache is shared by every language); translated per request.
        # Translators: the first choice of a filter, meaning no filter.
        return [("", gettext_noop("Any"))] + list(groups.items())

    return cache.get_or_set("directory:topic-choices", build, CHOICES_CACHE_SECONDS)


class OptionalPostcodeField(PostcodeField):
    def validate(self, value: str) -> None:
        pass

    def clean(self, value):
        value = self.to_python(value)
        return super().clean(value) if value else None


@functools.cache
def _sharing_choices(field_class: type) -> type:
    """The choice field class whose copies (one per form) share the choices of the field they
    were copied from. Django copies every choice for every form; no search form changes them,
    and the fields they are copied from are the search form class's own (#18)."""

    def __deepcopy__(self, memo):
        return forms.Field.__deepcopy__(self, memo)

    return type(field_class.__name__, (field_class,), {"__deepcopy__": __deepcopy__})


class ServiceSearchForm(forms.Form):
    """The search box and postcode; django-filter adds the filter fields to a subclass."""

    # Its hint and error message name the council's example postcode: worded in __init__.
    postcode = OptionalPostcodeField(label=_("Postcode"), required=False)
    within = forms.ChoiceField(
        label=_("Distance"), choices=DISTANCES, required=False, initial=DEFAULT_MILES
    )
    per_page = forms.ChoiceField(
        label=_("Results per page"),
        choices=PER_PAGE,
        required=False,
        initial=PER_PAGE[0][0],
        widget=forms.RadioSelect,
    )

    FIELD_ORDER = ["q", "postcode", "within", "category", "topic", "age", "life_stage", "day",
                   "delivery", "language", "free", "send", "per_page"]  # fmt: skip

    DEFAULTS = {"within": DEFAULT_MILES, "per_page": PER_PAGE[0][0], "life_stage": ""}

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            # A search with no distance (a link from the hub answer, a bookmarked search) is
            # searched and shown at the one default, so the page says the distance it used.
            data = data.copy()
            for name, default in self.DEFAULTS.items():
                if not data.get(name):
                    data[name] = default
        super().__init__(data, *args, **kwargs)

    @classmethod
    def word_fields(cls) -> None:
        """Order and word the fields of a form class built for the current council and
        language (ServiceFilter.get_form_class keeps it per both): once per class, not in every
        form, as each form gets copies of these (#18)."""
        fields = {name: copy.deepcopy(cls.base_fields[name]) for name in cls.FIELD_ORDER}
        example = {"example": councils.current().data["example_postcode"]}
        fields["postcode"].help_text = (
            gettext("To see services near you, for example %(example)s") % example
        )
        fields["postcode"].error_messages["invalid"] = (
            gettext("Enter a full UK postcode, like %(example)s") % example
        )
        for field in fields.values():
            if "invalid_choice" in field.error_messages:
                # Translators: %(field)s is the name of a search filter, like "distance".
                message = gettext("Choose %(field)s from the list")
                field.error_messages["invalid_choice"] = message % {"field": field.label.lower()}
        # Translators: the first choice of a filter, meaning no filter.
        any_stage = [("", gettext("Any"))] + list(LifeStage.choices)
        fields["life_stage"].choices = any_stage
        fields["life_stage"].initial = ""
        fields["life_stage"].widget = forms.RadioSelect(choices=any_stage)
        fields["postcode"].widget.attrs.update({"autocomplete": "postal-code", "maxlength": "32"})
        fields["q"].widget.attrs.update({"maxlength": "100", "spellcheck": "true"})
        for field in fields.values():
            if isinstance(field, forms.ChoiceField):
                field.__class__ = _sharing_choices(type(field))
        cls.base_fields = fields

    @cached_property
    def filters_helper(self) -> FormHelper:
        """One <form> in the template holds both parts: the search box above the results
        (templates/directory/_search_box.html, GOV.UK markup written out) and the filters
        beside them (this crispy layout, cached per state, so built only when drawn). A GET
        form: no CSRF token, and buttons without names, so the address holds only the search
        itself."""
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        helper.layout = Layout(
            Field.checkboxes("category", legend_size=Size.SMALL, small=True),
            Field.select("topic", legend_size=Size.SMALL),
            Field.text("age", field_width=2, label_size=Size.SMALL),
            Field.radios("life_stage", legend_size=Size.SMALL, small=True),
            Field.checkboxes("day", legend_size=Size.SMALL, small=True),
            Field.checkboxes("delivery", legend_size=Size.SMALL, small=True),
            Field.select("language", legend_size=Size.SMALL),
            Field.checkbox("free", small=True),
            Field.checkbox("send", small=True),
            Field.radios("per_page", legend_size=Size.SMALL, inline=True, small=True),
            HTML(
                format_html(
                    '<button type="submit" class="govuk-button govuk-button--secondary" '
                    'data-module="govuk-button">{}</button>',
                    gettext("Apply filters"),
                )
            ),
        )
        return helper

    @property
    def helper(self) -> FormHelper:
        """The same, as crispy's error summary reads it (form.helper.form_show_errors)."""
        return self.filters_helper

    def clean_q(self) -> str:
        return (self.cleaned_data.get("q") or "").strip()[:100]

    def clean(self):
        cleaned = super().clean()
        parsed = cleaned.get("postcode")
        if parsed is not None:
            point = locate(parsed)
            if point is None:
                self.add_error(
                    "postcode",
                    gettext("We could not find %(postcode)s. Check the postcode")
                    % {"postcode": parsed},
                )
            else:
                cleaned["origin"] = point
        return cleaned


# Where postcodes are, kept in this process while the gazetteer is the same (a new release of
# it bumps the hubs' version token: hubs.apps): a search near a postcode already seen reads
# nothing to find it (#18).
_POINTS = versions.Kept(HUBS_VERSION, limit=20_000)


def locate(parsed) -> tuple[float, float] | None:
    """Coordinates for a full postcode, or a district's centre for a district alone."""
    point = _POINTS.get(str(parsed))
    if point is None:
        point = _locate(parsed)
        if point is not None:
            _POINTS.put(str(parsed), point)
    return point


def _locate(parsed) -> tuple[float, float] | None:
    if parsed.is_full:
        found = Postcode.objects.filter(postcode=parsed.postcode).values_list(
            "latitude", "longitude"
        )
        if found:
            return found[0]
    district = (
        PostcodeDistrict.objects.filter(district=parsed.district, latitude__isnull=False)
        .values_list("latitude", "longitude")
        .first()
    )
    return district


class _ShallowCopies(dict):
    """A FilterSet's declared filters, copied for each search without copying deeply.

    django-filter gives each filter set a deep copy of its class's filters, with every option,
    label and choice copied too: a fifth of a search's form work (#18). These copies have their
    own options (`extra`) and their method bound to the new filter set (which django-filter sets
    as the parent), and share the rest, which no search changes.
    """

    def __deepcopy__(self, memo) -> dict:
        copies = {}
        for name, declared in self.items():
            copied = copy.copy(declared)
            copied.extra = dict(declared.extra)
            copied.method = declared.method  # a FilterMethod of its own, not the original's
            copies[name] = copied
        return copies


# The search form's class per (council, language), while the directory (and so its taxonomy) is
# unchanged: see ServiceFilter.get_form_class.
_FORM_CLASSES = versions.Kept(DIRECTORY_VERSION, limit=100)


class ServiceFilter(django_filters.FilterSet):
    corrected_text: str | None = None  # set when misspelt words were corrected
    _match_count: int | None = None  # the matches counted up to COUNT_LIMIT + 1, once known
    # The matches, the SQL of their ids and the first COUNT_LIMIT + 1 of these, once read.
    _match_ids: tuple[QuerySet, tuple[str, tuple], str] | None = None
    # Past the cap, the SQL of the ids of the matches using the words, and of those merely named
    # like them (_nearest_page).
    _count_parts: tuple[tuple[str, tuple], tuple[str, tuple]] | None = None
    _among_sql: tuple[QuerySet, tuple[str, tuple, str, tuple]] | None = None  # see _among
    _filtered: QuerySet | None = None  # the services the filters chose, before the words
    _worked_out: dict  # worked out for this search and kept with its matches (_kept)
    q = django_filters.CharFilter(
        label=_("What are you looking for?"),
        method="filter_nothing",
        help_text=_("For example, toddler group, breastfeeding or help with a teenager"),
    )
    category = django_filters.MultipleChoiceFilter(
        label=_("Type of support"),
        choices=[],  # set per request in __init__: categories live in the database
        method="filter_category",
        widget=forms.CheckboxSelectMultiple,
    )
    topic = django_filters.ChoiceFilter(
        label=_("Topic"), choices=[], method="filter_topic", empty_label=None
    )
    age = django_filters.NumberFilter(
        label=_("Child's age in years"),
        method="filter_age",
        min_value=0,
        max_value=25,
        # GOV.UK asks for a text input with a numeric keyboard rather than type="number".
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input"}),
        error_messages={
            "invalid": _("Enter the child's age as a whole number, like 4"),
            "min_value": _("Enter an age of 0 or more"),
            "max_value": _("Enter an age of 25 or less"),
        },
    )
    life_stage = django_filters.ChoiceFilter(
        label=_("Life stage"),
        choices=LifeStage.choices,
        method="filter_life_stage",
        empty_label=None,
    )
    day = django_filters.MultipleChoiceFilter(
        label=_("Day of the week"),
        choices=Weekday.choices,
        method="filter_day",
        widget=forms.CheckboxSelectMultiple,
    )
    delivery = django_filters.MultipleChoiceFilter(
        label=_("How it is given"),
        choices=Service.Delivery.choices,
        method="filter_delivery",
        widget=forms.CheckboxSelectMultiple,
    )
    language = django_filters.ChoiceFilter(
        label=_("Language spoken"),
        # Translators: the first choice of a filter, meaning no filter.
        choices=[("", _("Any"))] + LANGUAGES,
        method="filter_language",
        empty_label=None,
    )
    free = django_filters.BooleanFilter(
        label=_("Free only"), method="filter_free", widget=forms.CheckboxInput
    )
    send = django_filters.BooleanFilter(
        label=_("Support for special educational needs and disabilities (SEND)"),
        method="filter_send",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Service
        fields: list[str] = []
        form = ServiceSearchForm

    def get_form_class(self) -> type[forms.Form]:
        """The form class, kept per council and language while the directory is unchanged.

        django-filter builds a new class, with a new field per filter, for every search; they
        differ only by language and the taxonomy's choices (#18). The form made from the class
        has copies of its fields, as any Django form does.
        """
        key = (councils.current_council_id(), get_language())
        kept = _FORM_CLASSES.get(key)
        if kept is not None:
            return kept
        # The DfE family hubs taxonomy's names, in the page's language (taxonomy_messages.py).
        self.filters["category"].extra["choices"] = [
            (slug, gettext(name)) for slug, name in category_choices()
        ]
        self.filters["topic"].extra["choices"] = [
            (gettext(group), [(slug, gettext(name)) for slug, name in terms])
            if isinstance(terms, list)
            else (group, gettext(terms))
            for group, terms in topic_choices()
        ]
        form_class = super().get_form_class()
        form_class.word_fields()
        return _FORM_CLASSES.put(key, form_class)

    # --- filters -------------------------------------------------------------------------------

    def filter_nothing(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset  # applied in filter_queryset, where ranking happens

    def filter_category(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(_with_terms(Q(slug__in=value) | Q(parent__slug__in=value)))

    def filter_topic(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return self.filter_category(queryset, name, [value]) if value else queryset

    def filter_age(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if value is None:
            return queryset
        age = int(value)
        fits_top = Q(maximum_age__isnull=True) | Q(maximum_age__gte=age)
        if age <= 25:
            fits_top |= Q(send_up_to_25=True)
        return queryset.filter(Q(minimum_age__isnull=True) | Q(minimum_age__lte=age), fits_top)

    def filter_life_stage(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        low, high = LIFE_STAGE_AGES[LifeStage(value)]
        overlaps = (Q(minimum_age__isnull=True) | Q(minimum_age__lte=high)) & (
            Q(maximum_age__isnull=True) | Q(maximum_age__gte=low)
        )
        return queryset.filter(Q(life_stages__contains=[value]) | overlaps)

    def filter_day(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        if not value:
            return queryset
        sessions = Schedule.objects.filter(
            service_at_location__service_id=OuterRef("pk"), weekday__in=[int(v) for v in value]
        )
        return queryset.filter(Exists(sessions))

    def filter_delivery(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        return queryset.filter(delivery__overlap=value) if value else queryset

    def filter_language(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(languages__contains=[value]) if value else queryset

    def filter_free(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(is_free=True) if value else queryset

    def filter_send(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if not value:
            return queryset
        send = "special-educational-needs"
        send_terms = _with_terms(Q(slug__startswith=send) | Q(parent__slug__startswith=send))
        return queryset.filter(Q(send_up_to_25=True) | send_terms)

    # --- text, distance and order ----------------------------------------------------------------

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        """Every matching service, annotated and in order (nearest, then best match, then A-Z).

        The search page uses `page()`, which orders by distance without grouping whole rows.
        """
        queryset, ranks = self._matches(queryset)
        origin = self.form.cleaned_data.get("origin")
        queryset = annotate_places(queryset, origin, miles=self._miles())
        # With a postcode the order is nearest first, then A to Z; without, best match first.
        order: list = ["distance"] if origin is not None else []
        if ranks and origin is None:
            queryset = queryset.annotate(**self._ranks(ranks, "search_vector"))
            order += ["-exact_rank", "-rank"]
        return queryset.select_related("organisation").order_by(*order, Lower("name"), "id")

    def page(self, number, per_page: int):
        """One page of results, counted up to COUNT_LIMIT ("more than 1,000").

        The work is bounded however many services match (#18):
        - the count is the capped count `_matches` already made, or one capped COUNT;
        - without a postcode, words matching more than COUNT_LIMIT services are ranked over a
          bounded candidate set (`_candidates`), not over every match;
        - with a postcode, services are ordered by a grouped query over the narrow
          service-at-location rows (service id, nearest distance); past COUNT_LIMIT matches it
          groups only the places within a radius that grows until it holds the page.
        Only the page's services are then read in full.
        """
        origin = self.form.cleaned_data.get("origin")
        services, ranks = self._matches(self.queryset)
        if ranks and ranks["rank"] is None:  # the words matched nothing, near or far
            return _counted_page(None, 1, per_page), []
        total = self._match_count
        if total is None:
            total = self._found(services)
        if origin is None:
            return self._ranked_page(services, ranks, total, number, per_page)
        page = self._nearest_page(services, total, origin, number, per_page)
        chosen = {row["service_id"]: row for row in page.object_list}
        by_id = _result_services(list(chosen))
        results = []
        for service_id, row in chosen.items():
            service = by_id[service_id]
            service.distance, service.nearest_place = row["distance"], row["nearest"]
            results.append(service)
        return page, results

    def _ranked_page(self, services, ranks, total: int, number, per_page: int):
        """A page in best-match order (then A to Z), without a postcode.

        With words, the matches' order is worked out once per search and kept with its matches
        (_MATCHED): ranking is a function of the words, filters, language and directory, and
        parents search for the same words. Past COUNT_LIMIT matches, over a bounded set of
        candidates (_candidates), in bands of CANDIDATES results, so the pages of one band are
        ranked together and never repeat a service. A page's services are then read as the
        nearest-first page reads them (_result_services). The ORM built, compiled and filled a
        ranked page's models on every request: a common word at 1,000 listings took 12.2 ms in
        process, now 5.0; at 100,000, 17.9, now 4.0 (#18).
        """
        paginator = CappedPaginator([], per_page)
        paginator.count = total
        number = _page_number(number, paginator.num_pages)
        start = (number - 1) * per_page
        if ranks or total <= COUNT_LIMIT:
            band = None
            if total > COUNT_LIMIT:
                band = CANDIDATES * math.ceil((start + per_page) / CANDIDATES)
            order = self._kept(("in order", band), lambda: self._in_order(services, ranks, band))
            # Each id is 36 characters and a comma (_in_order).
            page_ids = [
                uuid.UUID(order[at : at + 36])
                for at in range(start * 37, min((start + per_page) * 37, len(order)), 37)
            ]
        else:
            # Filters alone, chosen by more than COUNT_LIMIT services: A to Z through the
            # service_published_a_to_z index, until the page is full.
            def a_to_z():  # compiled once for the search
                ordered = services.order_by(Lower("name"), "id").values_list("id")
                return ordered.query.sql_with_params()

            sql, params = self._kept("A to Z", a_to_z)
            with connection_for_reading(Service).cursor() as cursor:
                cursor.execute(f"{sql} LIMIT %s OFFSET %s", (*params, per_page, start))
                page_ids = [row[0] for row in cursor.fetchall()]
        by_id = _result_services(page_ids)
        results = [by_id[service_id] for service_id in page_ids]
        return Page(results, number, paginator), results

    def _kept(self, name, build):
        """Something worked out for this search, built once and kept with its matches."""
        if name not in self._worked_out:
            self._worked_out[name] = build()
        return self._worked_out[name]

    def _in_order(self, services, ranks: dict, band: int | None) -> str:
        """The ids of the matches (up to COUNT_LIMIT), or of `band`'s candidates, in the page's
        order (best match first if there are words, then A to Z), as one string (each id and a
        comma), ordered among an array of their ids, whose length the planner knows (#18)."""
        if band is None:
            ids = self._read_ids(services)[2]
        else:
            ids = self._candidates(services, ranks["rank"], band)
        order = ["-exact_rank", "-rank"] if ranks else []
        ranked = (
            services.filter(pk__in=RawSQL("SELECT unnest(%s::uuid[])", (ids,)))
            .annotate(**self._ranks(ranks), id_text=Cast("id", output_field=TextField()))
            .order_by(*order, Lower("name"), "id")
            .values_list("id_text", flat=True)
        )
        with connection_for_reading(Service).cursor() as cursor:
            cursor.execute(*ranked.query.sql_with_params())
            return ",".join(row[0] for row in cursor.fetchall())

    def _candidates(self, services: QuerySet, query: SearchQuery, band: int) -> str:
        """For words matching more than COUNT_LIMIT services: the ones ranked for a band of
        results, as PostgreSQL writes an array of their ids.

        Ranking every match of a common word ("play" in most of 100,000 listings) costs time in
        proportion to the directory; people read the first page or two. So the ranking runs over
        the services whose names use the words (the strongest sign of a good match, found
        through the service_name_words index), up to CANDIDATES, and the first matches the GIN
        index gives, as many as the band holds. (Which matches come first must not change
        between requests: the app's connections do not synchronise sequential scans,
        DATABASE_PLANNER_OPTIONS.)
        """
        # Named from the filtered services, not the matches: a name using the words is in the
        # listing's search vector, and the page ranks only matches among the candidates anyway.
        # Asking for the matches too made PostgreSQL AND the names' bitmap with one of every
        # listing using a common word (9.7 ms at 100,000 listings, not 1.5; #18).
        named, named_params = (
            self._filtered.annotate(name_words=SearchVector("name", config="english"))
            .filter(name_words=query)
            .order_by()
            .values("pk")[:CANDIDATES]
            .query.sql_with_params()
        )
        first, first_params = services.order_by().values("pk")[:band].query.sql_with_params()
        with connection_for_reading(Service).cursor() as cursor:
            cursor.execute(
                f"SELECT coalesce(array_agg(DISTINCT pk), '{{}}')::text "  # noqa: S608 - the ORM's SQL
                f"FROM (({named}) UNION ALL ({first})) AS candidates",
                (*named_params, *first_params),
            )
            return cursor.fetchone()[0]

    def _nearest_page(self, services, matches: int, origin, number, per_page: int):
        """A page in nearest-first order, counted.

        Up to COUNT_LIMIT matches, every one with a place nearby is grouped, which gives the
        count and the page in one query. Past that, the page is worked out from the places
        within a smaller radius, grown until it holds every service up to the end of the page
        (_circled_page), and the count is of services with a place within `miles`, capped, from
        whichever side is the fewer to check (#18):
        - no public place nearby: none, with nothing more read;
        - few places nearby (up to FEW_PLACES): the services at them, each checked against the
          words (_count_among). Checking the matches one by one would read every match, near or
          far: a common word near a postcode outside the borough took 280 ms at 100,000
          listings, this about 2.
        - many places: the page's last circle, when it grew to `miles`, grouped them all; else
          the matches are each checked for a place nearby (_count_with_a_place_near), until
          enough are found. When the circle's density says there will be more than the cap,
          services using the words are counted first, and those merely named like them only
          if fewer than the cap are nearby: comparing a name with the words costs about 8 µs,
          which every service not using the words paid (4.4 -> 3.9 ms, a common word near a
          postcode at 100,000 listings).
        The count, and the radius that held the page, are kept with the search's matches for
        the last COUNTS_KEPT postcodes (for the next page, the back button, the same search
        again): the next time, the page is read from one circle of about that radius, and
        nothing is counted (a common word near a postcode at 1,000 listings grouped 900
        services for every page, 4 ms; at 100,000, a count is up to 1,001 look-ups).
        """
        miles = self._miles()
        among = self._among(services)
        number = _page_number(number, COUNT_LIMIT + 1)  # at most one row a page
        counted = self._kept("counted near", dict)
        kept, page, radius = counted.get((origin, miles)), None, None
        if kept is not None:
            total, held, held_needed = kept
            # Grown for a later page by the area it needs, and a tenth more.
            radius = held * 1.1 * math.sqrt(max(1.0, number * per_page / held_needed))
        elif matches <= COUNT_LIMIT:
            page = _counted_page(_nearest_rows(among, origin, miles), number, per_page)
            total = page.paginator.count
        else:
            ids_sql = self._read_ids(services)[1]
            nearby = _services_near(origin, miles)
            if nearby is not None:
                total = _count_among(ids_sql, nearby) if nearby != "{}" else 0
            else:
                page, radius = _circled_page(among, origin, miles, number, per_page)
                found = page.paginator.count
                if radius >= miles:
                    total = min(found, COUNT_LIMIT + 1)
                else:
                    dense = found * (miles / radius) ** 2 > 2 * COUNT_LIMIT
                    parts = self._count_parts if dense else None
                    total = _count_with_a_place_near(ids_sql, origin, miles, parts)
        paginator = CappedPaginator([], per_page)
        paginator.count = total
        if not total:
            page = Page([], 1, paginator)
        else:
            shown = _page_number(number, paginator.num_pages)
            if page is None or page.number != shown:
                page, _ = _circled_page(among, origin, miles, shown, per_page, radius)
            page = Page(page.object_list, shown, paginator)
        if kept is None:
            if len(counted) >= COUNTS_KEPT:
                counted.clear()
            counted[(origin, miles)] = (total, *_holding(page, miles, per_page))
        return page

    def _miles(self) -> float:
        return float(self.form.cleaned_data.get("within") or DEFAULT_MILES)

    @staticmethod
    def _ranks(queries: dict, vector: str = "search_vector") -> dict:
        """Rank expressions for the queries, read from the search vector at `vector`."""
        zero = Value(0.0, output_field=FloatField())
        return {
            name: Coalesce(SearchRank(F(vector), query), zero) if query is not None else zero
            for name, query in queries.items()
        }

    def __init__(self, data=None, queryset=None, **kwargs):
        # The public directory's published services unless told: only then are a search's
        # matches shared with the next search for the same words and filters (_matches).
        self.is_public = queryset is None
        if queryset is None:
            queryset = Service.objects.published()
        super().__init__(data, queryset=queryset, **kwargs)

    def _matches(self, queryset: QuerySet) -> tuple[QuerySet, dict]:
        """The filtered services matching the words, and the queries to rank them by
        ({"exact_rank": words as typed, "rank": with synonyms}; empty without words).

        Worked out once per words, filters, language and council while the directory is
        unchanged (_MATCHED), with the SQL of their ids and the first COUNT_LIMIT + 1 of
        these: building and compiling the querysets took a search 0.45 ms (#18)."""
        if hasattr(self, "_matched"):
            return self._matched
        data = self.form.cleaned_data
        key = None
        if self.is_public and queryset is self.queryset:
            chosen = tuple((name, _hashable(data.get(name))) for name in self.filters)
            key = (councils.current_council_id(), get_language(), chosen)
            kept = _MATCHED.get(key)
            if kept is not None:
                self.__dict__.update(kept)
                return self._matched
        self._worked_out = {}  # _kept's, kept with the rest
        # Only the declared filters: the form also carries the postcode, distance and page size.
        for name, declared in self.filters.items():
            queryset = declared.filter(queryset, data.get(name))
        self._filtered = queryset
        text = data.get("q") or ""
        ranks: dict = {}
        if build_queries(text)[0] is not None or translated_queries(text)[0] is not None:
            # Words first, on the plain filtered set, so "is there any match?" is a GIN index
            # look-up; places and distances are then worked out only for the matches.
            in_language = translated_queries(text)[0]
            matches, query = self._matching(queryset, text)
            # Nothing at all: perhaps a spelling mistake ("libary"); try the closest known words.
            fixed = corrected(text) if query is None else None
            if fixed is not None:
                matches, query = self._matching(queryset, fixed)
                self.corrected_text = fixed if query is not None else None
            queryset = matches
            # Services that use the words as typed come first, then those found by synonyms:
            # "teenagers" puts a course that says teenagers above ones that say "young people".
            if query is not None:
                literal = _either(literal_query(self.corrected_text or text), in_language)
                ranks = {"exact_rank": literal, "rank": query}
            else:
                ranks = {"exact_rank": None, "rank": None}
        self._matched = (queryset, ranks)
        if key is not None:
            self._among(queryset)  # its SQL, kept with the rest
            _MATCHED.put(key, {name: getattr(self, name) for name in _KEPT})
        return self._matched

    def _matching(self, queryset: QuerySet, text: str) -> tuple[QuerySet, SearchQuery | None]:
        """Services matching every idea in `text` (or a name close to it), else any idea.

        Returns the matches and the query to rank them by; the query is None when nothing
        matched (the queryset is then empty).
        """
        strict, loose = build_queries(text)
        # On a page in another language, its words are looked for in the listings' translations
        # too (search.translated_queries).
        strict_there, loose_there = translated_queries(text)
        strict, loose = _either(strict, strict_there), _either(loose, loose_there)
        named = Q(name__trigram_word_similar=tidy(text)) if tidy(text) else Q(pk__in=[])
        matches = queryset.filter(Q(search_vector=strict) | named)
        if self._found(matches):
            if self._match_count > COUNT_LIMIT and tidy(text):
                # Counted near a postcode in two parts (_nearest_page): services using
                # the words, then, only if fewer than the cap are nearby, those named like them.
                self._count_parts = (
                    _ids_sql(queryset.filter(search_vector=strict)),
                    _ids_sql(queryset.filter(named).exclude(search_vector=strict)),
                )
            return matches, strict
        matches = queryset.filter(search_vector=loose)
        if self._found(matches):
            return matches, loose
        return matches, None

    def _found(self, services: QuerySet) -> int:
        """How many services there are, up to COUNT_LIMIT + 1, read as their ids (kept for the
        page's query, `_among`, and with the rest of a public search's matches: _MATCHED)."""
        ids_sql = _ids_sql(services)
        self._match_count, ids = _first_ids(ids_sql)
        self._match_ids = (services, ids_sql, ids)
        return self._match_count

    def _read_ids(self, services: QuerySet) -> tuple[QuerySet, tuple[str, tuple], str]:
        """The services, the SQL of their ids and the first COUNT_LIMIT + 1 of these, read
        once for a search (`_found`)."""
        if self._match_ids is None or self._match_ids[0] is not services:
            self._found(services)
        return self._match_ids

    def _among(self, services: QuerySet) -> tuple[str, tuple, str, tuple]:
        """The services that service-at-location rows (`sal`) are joined to, as `s`, with its
        parameters, and a condition on the rows, with its: of one of these services.

        Up to COUNT_LIMIT of them, their ids as `_found` read them, so the planner knows how
        few there are: given the words' conditions again, it guessed hundreds of matches for a
        rare word at 100,000 listings and read every service's places (21 ms, not 0.06, #18).
        Past that, the services' own query, giving their names, so each is read once (1.6 ms
        for a common word's page at 100,000 listings, not 2.0).
        """
        if self._among_sql is None or self._among_sql[0] is not services:
            _, _, ids = self._read_ids(services)
            if self._match_count <= COUNT_LIMIT:
                among = ("directory_service", (), "sal.service_id = ANY(%s::uuid[])", (ids,))
            else:
                sql, params = services.order_by().values("id", "name").query.sql_with_params()
                among = (f"({sql})", params, "TRUE", ())
            self._among_sql = (services, among)
        return self._among_sql[1]


ServiceFilter.base_filters = _ShallowCopies(ServiceFilter.base_filters)


# What a search result shows (templates/directory/_results.html): not the description or the
# search vector, the widest columns.
RESULT_FIELDS = ["name", "summary", "i18n", "organisation__name", "is_sample", "delivery",
                 "minimum_age", "maximum_age", "send_up_to_25", "is_free", "cost_description",
                 "how_to_access"]  # fmt: skip


# A public search's matches as ServiceFilter._matches worked them out (the querysets, the
# corrected words, the SQL of their ids and the first of these), by council, language and the
# words and filters chosen, whatever the postcode, kept in this process while the directory is
# unchanged: parents search for the same words, and at 100,000 listings reading a rare word's
# matches costs PostgreSQL 4 ms (the names' trigram index) and a common word's 2 (#18).
_MATCHED = versions.Kept(DIRECTORY_VERSION, limit=500)
_KEPT = ["_matched", "corrected_text", "_match_count", "_match_ids", "_count_parts", "_among_sql",
         "_filtered", "_worked_out"]  # fmt: skip


def _with_terms(terms: Q) -> Exists:
    """Services with one of these taxonomy terms, the terms' ids read first: given the join to
    the terms' slugs instead, PostgreSQL guessed a sixth of the services a category has at
    100,000 listings, and sorted all of them for a page (#18)."""
    ids = list(TaxonomyTerm.objects.filter(terms).values_list("id", flat=True))
    return Exists(
        Service.terms.through.objects.filter(service_id=OuterRef("pk"), taxonomyterm_id__in=ids)
    )


def _hashable(value):
    """A filter's cleaned value as part of a key: a list of choices as a tuple."""
    return tuple(value) if isinstance(value, list) else value


# Services as a search result shows them, kept in this process while the directory is unchanged:
# a listing found by many searches is read once (#18).
_RESULTS = versions.Kept(DIRECTORY_VERSION, limit=5000)


# Whether more than FEW_PLACES of the council's public places are within a distance of a point
# (council, point, miles: True), kept in this process while the directory is unchanged: it
# depends on the places alone, so a search near a postcode already seen does not count them
# again (_services_near, #18).
_MANY_PLACES = versions.Kept(DIRECTORY_VERSION, limit=20_000)


def _result_services(ids: list) -> dict:
    """The services with these ids (RESULT_FIELDS, their organisation and places: annotate_places
    without an origin), by id: copies of the kept ones, so a page's distances are its own; the
    rest read in one query."""
    council = councils.current_council_id()
    found, missing = {}, []
    for service_id in ids:
        kept = _RESULTS.get((council, service_id))
        if kept is None:
            missing.append(service_id)
        else:
            found[service_id] = copy.copy(kept)
    if missing:
        services = Service.objects.filter(id__in=missing).select_related("organisation")
        # Where each is, for a page without a postcode (one near a postcode gives the nearest).
        read = annotate_places(services.only(*RESULT_FIELDS), None, miles=0)
        for service in read:
            found[service.id] = copy.copy(_RESULTS.put((council, service.id), service))
    return found


def _nearest_rows(among: tuple[str, tuple], origin: tuple[float, float], miles: float):
    """One row per service with a place within `miles`: its id, nearest distance, name in lower
    case and nearest place's name (for _counted_page, which orders them nearest first, then A
    to Z), as SQL and its parameters.

    `among` is the condition on the places' services (ServiceFilter._among), worked out once
    per search: this is written out rather than built by the ORM, which cost more than running
    it (#18), and a search past COUNT_LIMIT matches runs it for several radii. The conditions
    are nearby_places' (a latitude/longitude box, then the distance) and Distance's arithmetic.
    """
    services, services_params, condition, condition_params = among
    distance, distance_params = _distance_sql(origin)
    near, near_params = _near_sql(origin, miles)
    # Each service's nearest place (DISTINCT ON keeps the first row of each service), its
    # distance worked out once per place.
    sql = (
        "SELECT DISTINCT ON (sal.service_id) sal.service_id, d.distance, "  # noqa: S608 - our own SQL; values are parameters
        "lower(s.name) AS name, l.name AS nearest "
        "FROM directory_serviceatlocation sal "
        "JOIN directory_location l ON l.id = sal.location_id "
        f"JOIN {services} s ON s.id = sal.service_id "
        f"CROSS JOIN LATERAL (SELECT {distance} AS distance) AS d "
        f"WHERE {condition} AND sal.council_id = %s AND {near} "
        "ORDER BY sal.service_id, d.distance, l.name"
    )
    council = councils.current_council_id()
    params = (*services_params, *distance_params, *condition_params, council, *near_params)
    return sql, params


def _distance_sql(
    origin: tuple[float, float], latitude: str = "l.latitude", longitude: str = "l.longitude"
) -> tuple[str, tuple]:
    """Metres from the origin to a point (a place `l` unless told), on a flat projection around
    the origin (see Distance, which compiles its point's columns and uses this)."""
    origin_latitude, origin_longitude = origin
    x_scale = METRES_PER_DEGREE * math.cos(math.radians(origin_latitude))
    return (
        f"sqrt(power(({latitude} - %s) * %s, 2) + power(({longitude} - %s) * %s, 2))",
        (origin_latitude, METRES_PER_DEGREE, origin_longitude, x_scale),
    )


def _box(origin: tuple[float, float], miles: float) -> tuple[float, float, float, float, float]:
    """The latitude/longitude box around a circle of `miles` (lowest and highest latitude,
    lowest and highest longitude) and its radius in metres."""
    latitude, longitude = origin
    radius = miles * METRES_PER_MILE
    box_lat = radius / METRES_PER_DEGREE
    box_lon = radius / (METRES_PER_DEGREE * math.cos(math.radians(latitude)))
    return (
        latitude - box_lat,
        latitude + box_lat,
        longitude - box_lon,
        longitude + box_lon,
        radius,
    )


def _within_sql(
    origin: tuple[float, float], miles: float, latitude: str, longitude: str
) -> tuple[str, tuple]:
    """A point (these columns) within `miles` of the origin: nearby_places' conditions (a
    latitude/longitude box, then the distance)."""
    *box, radius = _box(origin, miles)
    distance, distance_params = _distance_sql(origin, latitude, longitude)
    sql = f"{latitude} BETWEEN %s AND %s AND {longitude} BETWEEN %s AND %s AND {distance} <= %s"
    return sql, (*box, *distance_params, radius)


def _near_sql(origin: tuple[float, float], miles: float) -> tuple[str, tuple]:
    """A public place of the council (`l`) within `miles` of the origin."""
    within, within_params = _within_sql(origin, miles, "l.latitude", "l.longitude")
    sql = f"l.council_id = %s AND NOT l.is_confidential AND {within}"
    return sql, (councils.current_council_id(), *within_params)


def _circled_page(
    among: tuple[str, tuple], origin, miles: float, number: int, per_page: int, radius=None
):
    """Page `number` of the services with a place within `miles` (`among` them: see
    ServiceFilter._among), nearest first, and the radius it was read from.

    From the places within a smaller radius (`radius`, else a 64th of `miles`), grown until it
    holds every service up to the end of the page: anything beyond that radius is further away,
    so the order is the same as grouping every nearby place. The page's count is of the
    services within that radius.
    """
    needed = number * per_page
    radius = max(radius or 0, miles / 64)
    while radius < miles:
        page = _counted_page(_nearest_rows(among, origin, radius), number, per_page)
        found = page.paginator.count
        if found >= needed:
            return page, radius
        # Grow the circle's area to hold about twice what is still needed, at most 16-fold.
        radius *= min(4.0, math.sqrt(2 * needed / found)) if found else 4.0
    return _counted_page(_nearest_rows(among, origin, miles), number, per_page), miles


def _holding(page: Page, miles: float, per_page: int) -> tuple[float, int]:
    """A radius in miles holding every service up to the end of this page (a little more than
    the distance of its last, if it is full: else `miles`), and how many that is."""
    rows, needed = page.object_list, page.number * per_page
    if len(rows) < per_page:
        return miles, needed
    return min(miles, rows[-1]["distance"] / METRES_PER_MILE * 1.001), needed


def _count_among(ids_sql: tuple[str, tuple], ids: str) -> int:
    """How many of these services (the SQL of their ids) have one of these ids (an array),
    up to COUNT_LIMIT + 1."""
    sql, params = ids_sql
    with connection_for_reading(Service).cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT m.id FROM ({sql}) AS m "  # noqa: S608 - our own SQL; values are parameters
            "WHERE m.id = ANY(%s::uuid[]) LIMIT %s) AS counted",
            (*params, ids, COUNT_LIMIT + 1),
        )
        return cursor.fetchone()[0]


def _count_with_a_place_near(
    ids_sql: tuple[str, tuple],
    origin: tuple[float, float],
    miles: float,
    parts: tuple[tuple[str, tuple], tuple[str, tuple]] | None = None,
    limit: int | None = None,
) -> int:
    """How many of these services (the SQL of their ids) have a public place within `miles`,
    up to `limit`: one index-only look-up of each one's public places, whose coordinates each
    service-at-location row carries (`service_public_places`), written out as the page's query
    is (#18: a common word at 100,000 listings, the ORM's count took 14 ms, this 4).

    With `parts` (ServiceFilter._count_parts), the services using the words, then those merely
    named like them while fewer than `limit` are found."""
    if limit is None:
        limit = COUNT_LIMIT + 1
    if parts is not None:
        using, named_like = parts
        found = _count_with_a_place_near(using, origin, miles, limit=limit)
        if found >= limit:
            return found
        return found + _count_with_a_place_near(named_like, origin, miles, limit=limit - found)
    sql, params = ids_sql
    within, within_params = _within_sql(origin, miles, "sal.place_latitude", "sal.place_longitude")
    with connection_for_reading(Service).cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT m.id FROM ({sql}) AS m WHERE EXISTS ("  # noqa: S608 - our own SQL; values are parameters
            "SELECT 1 FROM directory_serviceatlocation sal "
            f"WHERE sal.service_id = m.id AND {within}) LIMIT %s) AS counted",
            (*params, *within_params, limit),
        )
        return cursor.fetchone()[0]


def _services_near(origin: tuple[float, float], miles: float) -> str | None:
    """The ids of the services at the council's public places within `miles`, as PostgreSQL
    writes an array of them, when there are at most FEW_PLACES such places; else None (which
    is kept: _MANY_PLACES)."""
    key = (councils.current_council_id(), origin, miles)
    if _MANY_PLACES.get(key):
        return None
    near, near_params = _near_sql(origin, miles)
    with connection_for_reading(Service).cursor() as cursor:
        # The services are read only when the places are few (CASE runs its subquery lazily).
        services = (
            "SELECT coalesce(array_agg(DISTINCT sal.service_id), '{}')::text "
            "FROM directory_serviceatlocation sal WHERE sal.location_id = ANY(array_agg(near.id))"
        )
        cursor.execute(
            f"SELECT CASE WHEN count(*) > %s THEN NULL ELSE ({services}) END "  # noqa: S608 - our own SQL; values are parameters
            f"FROM (SELECT l.id FROM directory_location l WHERE {near} LIMIT %s) AS near",
            (FEW_PLACES, *near_params, FEW_PLACES + 1),
        )
        nearby = cursor.fetchone()[0]
    if nearby is None:
        _MANY_PLACES.put(key, True)
    return nearby


def _first_ids(ids_sql: tuple[str, tuple]) -> tuple[int, str]:
    """How many of these ids there are, up to COUNT_LIMIT + 1, and they, as PostgreSQL writes
    an array of them: the page's query takes them back as they are, with no Python object made
    for each.

    Also how a search asks "is there any match?", without the LIMIT 1 plan trap: `exists()` adds
    LIMIT 1, and for a word the statistics do not know the planner expects hundreds of matches,
    so it reads the table in order hoping to stop early; with no match it reads every row.
    Reading up to the cap lets it use the GIN index instead.
    """
    sql, params = ids_sql
    with connection_for_reading(Service).cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), coalesce(array_agg(id), '{{}}')::text FROM ({sql} LIMIT %s) AS m",  # noqa: S608 - the ORM's SQL
            (*params, COUNT_LIMIT + 1),
        )
        return cursor.fetchone()


def _ids_sql(services: QuerySet) -> tuple[str, tuple]:
    """The SQL of the services' ids, compiled once, for _nearest_rows."""
    return services.order_by().values("id").query.sql_with_params()


def _counted_page(rows: tuple[str, tuple] | None, number, per_page: int) -> Page:
    """One page of the grouped rows and how many there are, in one query.

    Ordering by nearest distance groups every match anyway, so `count(*) OVER ()` on the grouped
    rows costs nothing more than the page itself, where a separate COUNT would group them all a
    second time. A page past the end shows the last page, as Paginator.get_page does.
    """
    paginator = CappedPaginator([], per_page)
    if rows is None:
        paginator.count = 0
        return Page([], 1, paginator)
    try:
        number = max(1, int(number))
    except (TypeError, ValueError):
        number = 1
    sql, params = rows
    paged = (
        f"SELECT service_id, distance, nearest, count(*) OVER () FROM ({sql}) AS grouped "  # noqa: S608
        "ORDER BY distance, name, service_id LIMIT %s OFFSET %s"
    )
    # The replica's, for a public search (earlyhelp/replicas.py).
    with connection_for_reading(Service).cursor() as cursor:
        cursor.execute(paged, (*params, per_page, (number - 1) * per_page))
        found = cursor.fetchall()
        if not found and number > 1:
            cursor.execute(f"SELECT count(*) FROM ({sql}) AS grouped", params)  # noqa: S608
            total = cursor.fetchone()[0]
            if total:
                return _counted_page(rows, math.ceil(total / per_page), per_page)
    total = found[0][3] if found else 0
    paginator.count = total  # the cached property, worked out above
    listed = [
        {"service_id": service_id, "distance": distance, "nearest": nearest}
        for service_id, distance, nearest, _ in found
    ]
    return Page(listed, number, paginator)


def nearby_places(origin: tuple[float, float], miles: float) -> QuerySet:
    """Places within `miles` of the origin.

    First a latitude/longitude box (an index range scan whose size the planner estimates well,
    so it can still start from a rare search word instead), then the distance itself.
    """
    lowest_latitude, highest_latitude, lowest_longitude, highest_longitude, radius = _box(
        origin, miles
    )
    return (
        Location.objects.filter(
            is_confidential=False,
            latitude__range=(lowest_latitude, highest_latitude),
            longitude__range=(lowest_longitude, highest_longitude),
        )
        .annotate(metres=Distance(origin, F("latitude"), F("longitude")))
        .filter(metres__lte=radius)
    )


def annotate_places(
    queryset: QuerySet,
    origin: tuple[float, float] | None,
    miles: float,
) -> QuerySet:
    """How many places each service is at, its first place by name and, with an origin, its
    nearest place, and only services near the origin with their distance."""
    places = ServiceAtLocation.objects.filter(
        service_id=OuterRef("pk"), location__is_confidential=False
    )
    queryset = queryset.annotate(
        place_count=Subquery(
            places.order_by().values("service_id").annotate(n=Count("id")).values("n")[:1]
        ),
        first_place=Subquery(places.order_by("location__name").values("location__name")[:1]),
    )
    if origin is None:
        return queryset.annotate(distance=Value(None, output_field=FloatField()))
    nearest = (
        places.filter(location__latitude__isnull=False)
        .annotate(metres=Distance(origin, F("location__latitude"), F("location__longitude")))
        .order_by("metres")
    )
    queryset = queryset.annotate(nearest_place=Subquery(nearest.values("location__name")[:1]))
    # Filtering on the join before annotating makes Min() run over only the nearby places.
    return queryset.filter(
        service_at_locations__location__in=nearby_places(origin, miles).values("id")
    ).annotate(
        distance=Min(
            Distance(
                origin,
                F("service_at_locations__location__latitude"),
                F("service_at_locations__location__longitude"),
            )
        )
    )


class Distance(Func):
    """Metres from a fixed origin to a point, on a flat projection around the origin.

    Within a borough (tens of kilometres) this is within 0.1% of the great-circle distance and
    costs a few arithmetic operations, so it can be worked out for every nearby place per query.
    Arguments: the origin's latitude and longitude (numbers) and the point's (expressions).
    """

    output_field = FloatField()

    def __init__(self, origin: tuple[float, float], latitude, longitude):
        self.origin = origin
        super().__init__(latitude, longitude)

    def as_sql(self, compiler, connection, **extra):
        (lat_sql, lat_params), (lon_sql, lon_params) = (
            compiler.compile(e) for e in self.source_expressions
        )
        sql, (latitude, scale, longitude, x_scale) = _distance_sql(self.origin, lat_sql, lon_sql)
        return sql, (*lat_params, latitude, scale, *lon_params, longitude, x_scale)
