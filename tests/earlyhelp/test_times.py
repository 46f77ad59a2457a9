"""Times are written the GOV.UK way for parents and staff alike (phone review, #15)."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.template import Context, Template

from earlyhelp.times import clock


def test_times_read_as_gov_uk_writes_them():
    assert clock(time(13, 30)) == "1:30pm"
    assert clock(time(10, 0)) == "10am"
    assert clock(time(12, 0)) == "midday"
    assert clock(time(0, 0)) == "midnight"
    assert clock(time(0, 15)) == "12:15am"
    assert clock(None) == ""


def test_templates_show_a_local_date_and_time():
    at = datetime(2026, 7, 1, 12, 30, tzinfo=ZoneInfo("UTC"))  # 1:30pm in London (BST)
    rendered = Template('{{ at|stamp:"j F Y" }} / {{ at|clock }}').render(Context({"at": at}))
    assert rendered == "1 July 2026, 1:30pm / 1:30pm"


def test_opening_hours_read_a_line_a_day_as_gov_uk_writes_them():
    from earlyhelp.times import opening_hours

    assert opening_hours("Mon 09:00-20:00; Tue-Sat 09:00-17:00; closed Sun") == [
        "Monday: 9am to 8pm",
        "Tuesday to Saturday: 9am to 5pm",
        "Sunday: closed",
    ]
    assert opening_hours(
        "Thu 10:00-17:00 (closed 13:00-14:00); Sat 10:00-12:30; closed Mon,Fri,Sun"
    ) == [
        "Thursday: 10am to 5pm (closed from 1pm to 2pm)",
        "Saturday: 10am to 12:30pm",
        "Monday, Friday and Sunday: closed",
    ]
    # A ";" inside brackets does not split a line; what it cannot read is kept as written.
    assert opening_hours("Fri 09:00-17:00 (out of hours: phone; or 999)") == [
        "Friday: 9am to 5pm (out of hours: phone; or 999)"
    ]
    assert opening_hours("Open seven days a week") == ["Open seven days a week"]
    assert opening_hours("") == []
