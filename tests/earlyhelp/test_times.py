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
