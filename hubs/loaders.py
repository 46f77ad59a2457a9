"""Load the postcode gazetteer and a council's hubs into the database, idempotently.

Each bundled file is loaded once per content hash (recorded in DataRelease), so a second run of
`make run` costs two small queries and duplicates nothing.
"""

import csv
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db import transaction

from hubs import councils
from hubs.models import Council, CoverageRule, DataRelease, Hub, Postcode, PostcodeDistrict

BATCH_SIZE = 5000


def data_dir() -> Path:
    return Path(settings.BASE_DIR) / "data"


def _sha256(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _batched(items: Iterator, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _already_loaded(name: str, sha256: str) -> bool:
    return DataRelease.objects.filter(name=name, sha256=sha256).exists()


def _mark_loaded(name: str, sha256: str, rows: int) -> None:
    DataRelease.objects.update_or_create(name=name, defaults={"sha256": sha256, "rows": rows})


def postcode_files() -> list[Path]:
    """The bundled postcode files of every council this deployment serves (and neighbours)."""
    folder = data_dir() / "postcodes"
    return [
        path
        for slug in settings.COUNCILS
        if (path := folder / f"{slug}_and_neighbours_postcodes.csv").exists()
    ]


@transaction.atomic
def load_postcodes(*paths: Path) -> int | None:
    """Replace the gazetteer's postcodes with the files'; None when these are already loaded.

    Councils' neighbours overlap (Haringey borders Barnet and Hackney): a postcode is loaded once.
    """
    paths = paths or tuple(postcode_files())
    sha256 = _sha256(*paths)
    if _already_loaded("postcodes", sha256):
        return None
    Postcode.objects.all().delete()
    seen: set[str] = set()
    count = 0

    def rows():
        for path in paths:
            for row in _rows(path):
                if row["postcode"] not in seen and row["latitude"] and row["longitude"]:
                    seen.add(row["postcode"])
                    yield row

    for batch in _batched(rows(), BATCH_SIZE):
        Postcode.objects.bulk_create(
            Postcode(
                postcode=row["postcode"],
                district=row["postcode"].split(" ")[0],
                sector=row["postcode"][:-2],
                latitude=float(row["latitude"]),
                longitude=float(row["longitude"]),
                local_authority_code=row["lad_code"],
                local_authority_name=row["lad_name"],
                ward_code=row["ward_code"],
                ward_name=row["ward_name"],
            )
            for row in batch
        )
        count += len(batch)
    _mark_loaded("postcodes", sha256, count)
    return count


@transaction.atomic
def load_districts(path: Path | None = None) -> int | None:
    path = path or data_dir() / "postcodes" / "districts.csv"
    sha256 = _sha256(path)
    if _already_loaded("districts", sha256):
        return None
    PostcodeDistrict.objects.all().delete()
    districts = [
        PostcodeDistrict(
            district=row["district"],
            latitude=float(row["latitude"]) if row["latitude"] else None,
            longitude=float(row["longitude"]) if row["longitude"] else None,
            postcode_count=int(row["n_postcodes"]),
            main_local_authority_code=row["main_lad_code"],
            main_local_authority_name=row["main_lad_name"],
            main_local_authority_share=float(row["main_lad_share"]),
            local_authority_count=int(row["n_lads"]),
        )
        for row in _rows(path)
    ]
    PostcodeDistrict.objects.bulk_create(districts, batch_size=BATCH_SIZE)
    _mark_loaded("districts", sha256, len(districts))
    return len(districts)


def load_council(slug: str) -> Council:
    """Create or update a council from data/<slug>/council.json (its name, codes, host names
    and the rest of its data, which its pages read)."""
    data = json.loads((data_dir() / slug / "council.json").read_text(encoding="utf-8"))
    retention = data_dir() / slug / "retention.json"
    if retention.exists():
        kept = json.loads(retention.read_text(encoding="utf-8"))
        data["retention"] = {key: value for key, value in kept.items() if not key.startswith("_")}
    council, _ = Council.objects.update_or_create(
        slug=slug,
        defaults={
            "ons_code": data["local_authority_code"],
            "name": data["name"],
            "full_name": data.get("full_name", data["name"]),
            "host_names": data.get("host_names", []),
            "is_default": slug == settings.COUNCIL_DATA,
            "data": data,
        },
    )
    councils.forget()
    return council


@transaction.atomic
def load_hubs(council: str | None = None) -> int | None:
    """Create or update the council's hubs and coverage rules from data/<council>/hubs.json.

    Hubs are matched by slug and rules by area (or ward), so edits made in the admin to other
    hubs or rules survive; a changed file updates the hubs and rules it names. Runs inside the
    council's scope (load_council_data), so every row is the council's.
    """
    path = data_dir() / (council or settings.COUNCIL_DATA) / "hubs.json"
    sha256 = _sha256(path)
    if _already_loaded(f"hubs:{path.parent.name}", sha256):
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    hubs = {}
    for entry in data["hubs"]:
        office = Postcode.objects.get(postcode=entry["postcode"])
        hubs[entry["slug"]], _ = Hub.objects.update_or_create(
            slug=entry["slug"],
            defaults={
                "name": entry["name"],
                "office_name": entry["office_name"],
                "address": entry["address"],
                "postcode": entry["postcode"],
                "phone": entry["phone"],
                "email": entry.get("email", ""),
                "opening_times": entry.get("opening_times", ""),
                "how_to_get_help": entry["how_to_get_help"],
                "source": entry["source"][:300],
                "is_sample": entry.get("sample", False),
                "latitude": office.latitude,
                "longitude": office.longitude,
            },
        )
    for rule in data["coverage_rules"]:
        defaults = {"hub": hubs[rule["hub"]], "reason": rule["reason"]}
        if "ward" in rule:
            defaults["ward_name"] = rule.get("ward_name", "")
            CoverageRule.objects.update_or_create(ward_code=rule["ward"], defaults=defaults)
        else:
            CoverageRule.objects.update_or_create(area=rule["area"], defaults=defaults)
    _mark_loaded(f"hubs:{path.parent.name}", sha256, len(data["coverage_rules"]))
    return len(hubs)
