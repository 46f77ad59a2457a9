"""Validating feed responses against the ORUK 3.0 schemas copied in schemas/ (see SOURCE.md).

Each endpoint's response is checked against the schema its operation in openapi.json names, with
every `$ref` resolved from the local copies: nothing is fetched.
"""

import json
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

SCHEMAS = Path(__file__).parent / "schemas"
OPENAPI = "https://openreferraluk.org/specifications/3.0/openapi.json"
PROFILE = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
JSON = "application~1json"  # the media type, as a JSON pointer writes it
PAGE_KEYS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page",
             "empty", "contents"}  # fmt: skip


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


REGISTRY = Registry().with_resources(
    [(OPENAPI, DRAFT202012.create_resource(_load(SCHEMAS / "openapi.json")))]
    + [
        (f"{PROFILE}compiled/{path.name}", DRAFT202012.create_resource(_load(path)))
        for path in sorted((SCHEMAS / "compiled").glob("*.json"))
    ]
    + [
        (f"{PROFILE}{path.name}", DRAFT202012.create_resource(_load(path)))
        for path in sorted((SCHEMAS / "schemata").glob("*.json"))
    ]
)

# jsonschema checks "email" and "uuid" itself; "uri" and "date-time" need optional packages, so
# they are checked here.
FORMATS = FormatChecker()


@FORMATS.checks("uri", raises=ValueError)
def _is_uri(value) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


@FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value) -> bool:
    if not isinstance(value, str):
        return True
    return datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo is not None


def operation_schema(path: str) -> dict:
    """The 200 response schema of GET `path` (as written in openapi.json, like "/services")."""
    operation = path.replace("~", "~0").replace("/", "~1")
    return {"$ref": f"{OPENAPI}#/paths/{operation}/get/responses/200/content/{JSON}/schema"}


def profile_schema(name: str) -> dict:
    return {"$ref": f"{PROFILE}{name}"}


def assert_valid(data, schema: dict) -> None:
    """`data` matches `schema`, and holds no nulls (ORUK: leave out what you do not know)."""
    validator = Draft202012Validator(schema, registry=REGISTRY, format_checker=FORMATS)
    errors = sorted(validator.iter_errors(data), key=lambda error: list(error.absolute_path))
    assert not errors, "\n".join(
        f"{'/'.join(map(str, error.absolute_path))}: {error.message[:300]}" for error in errors[:10]
    )
    assert_no_nulls(data)
    assert_dates(data)


def assert_valid_page(data, path: str) -> None:
    """A paginated response: the operation's schema, and every envelope field present."""
    assert data.keys() >= PAGE_KEYS, f"missing {PAGE_KEYS - data.keys()}"
    assert_valid(data, operation_schema(path))


def assert_no_nulls(data, where: str = "") -> None:
    if isinstance(data, dict):
        for key, value in data.items():
            assert value is not None, f"{where}/{key} is null"
            assert_no_nulls(value, f"{where}/{key}")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            assert_no_nulls(value, f"{where}/{index}")


def assert_dates(data) -> None:
    """Fields the schemas type as dates and times (datapackage_type) are ISO 8601."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("assured_date", "valid_from", "valid_to", "dtstart"):
                date.fromisoformat(value)
            elif key in ("opens_at", "closes_at"):
                datetime.strptime(value, "%H:%M:%S")
            else:
                assert_dates(value)
    elif isinstance(data, list):
        for value in data:
            assert_dates(value)
