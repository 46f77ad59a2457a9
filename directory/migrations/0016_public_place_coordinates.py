"""Each service-at-location row carries its place's coordinates while the place is public (#18).

A search near a postcode matching more than 1,000 services counts those with a public place
within the distance, up to 1,001, each with a look-up of its places. Reading the coordinates from
the place cost a second index look-up and a heap read per place; with them on the row (and
`service_public_places` covering them) it is one index-only look-up.

Triggers keep them, so no code path can forget to:
- a row inserted or changed takes its place's coordinates, or none when the place is confidential
  or has no coordinates;
- a place moved, or made confidential or public again, passes that to its rows.
"""

from django.db import migrations, models

FORWARD = """
CREATE FUNCTION directory_serviceatlocation_place() RETURNS trigger AS $$
BEGIN
    SELECT l.latitude, l.longitude INTO NEW.place_latitude, NEW.place_longitude
    FROM directory_location l WHERE l.id = NEW.location_id AND NOT l.is_confidential;
    IF NOT FOUND THEN
        NEW.place_latitude := NULL;
        NEW.place_longitude := NULL;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER directory_serviceatlocation_place
BEFORE INSERT OR UPDATE ON directory_serviceatlocation
FOR EACH ROW EXECUTE FUNCTION directory_serviceatlocation_place();

CREATE FUNCTION directory_location_moved() RETURNS trigger AS $$
BEGIN
    -- Each row's own trigger reads the place again.
    UPDATE directory_serviceatlocation SET place_latitude = NULL WHERE location_id = NEW.id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER directory_location_moved
AFTER UPDATE OF latitude, longitude, is_confidential ON directory_location
FOR EACH ROW
WHEN (OLD.latitude IS DISTINCT FROM NEW.latitude
      OR OLD.longitude IS DISTINCT FROM NEW.longitude
      OR OLD.is_confidential IS DISTINCT FROM NEW.is_confidential)
EXECUTE FUNCTION directory_location_moved();

UPDATE directory_serviceatlocation sal
SET place_latitude = l.latitude, place_longitude = l.longitude
FROM directory_location l
WHERE l.id = sal.location_id AND NOT l.is_confidential;
"""

REVERSE = """
DROP TRIGGER IF EXISTS directory_location_moved ON directory_location;
DROP FUNCTION IF EXISTS directory_location_moved();
DROP TRIGGER IF EXISTS directory_serviceatlocation_place ON directory_serviceatlocation;
DROP FUNCTION IF EXISTS directory_serviceatlocation_place();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0015_name_statistics"),
        ("hubs", "0002_councils"),
    ]

    operations = [
        migrations.AddField(
            model_name="serviceatlocation",
            name="place_latitude",
            field=models.FloatField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="serviceatlocation",
            name="place_longitude",
            field=models.FloatField(editable=False, null=True),
        ),
        migrations.RunSQL(FORWARD, REVERSE),
        migrations.AddIndex(
            model_name="serviceatlocation",
            index=models.Index(
                condition=models.Q(("place_latitude__isnull", False)),
                fields=["service"],
                include=("place_latitude", "place_longitude"),
                name="service_public_places",
            ),
        ),
    ]
