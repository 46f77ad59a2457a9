"""Reporting periods: a calendar month, a financial quarter (April to June is Q1), a financial
year (April to March) or custom dates. A period is a closed range of local dates."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.utils import timezone


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    label: str

    @property
    def starts_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def ends_before(self) -> datetime:
        """The first moment after the period (so ``< ends_before`` includes the whole last day)."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def months(self) -> list[date]:
        first = self.start.replace(day=1)
        months = []
        while first <= self.end:
            months.append(first)
            first += relativedelta(months=1)
        return months


def financial_year_of(day: date) -> int:
    """The year a financial year starts in: 1 April 2026 to 31 March 2027 is 2026."""
    return day.year if day.month >= 4 else day.year - 1


def month(year: int, number: int) -> Period:
    start = date(year, number, 1)
    return Period(start, start + relativedelta(months=1, days=-1), f"{start:%B %Y}")


def quarter(year: int, number: int) -> Period:
    """Financial quarter ``number`` (1-4) of the financial year starting in April ``year``."""
    start = date(year, 4, 1) + relativedelta(months=3 * (number - 1))
    end = start + relativedelta(months=3, days=-1)
    return Period(start, end, f"{year}-{str(year + 1)[2:]} Q{number} ({start:%b} to {end:%b %Y})")


def financial_year(year: int) -> Period:
    return Period(date(year, 4, 1), date(year + 1, 3, 31), f"Financial year {year}-{year + 1}")


def choices(today: date) -> list[tuple[str, str]]:
    """The periods a person can pick: the last 12 months, 8 quarters and 3 financial years."""
    options = []
    fy = financial_year_of(today)
    options += [(f"fy:{y}", financial_year(y).label) for y in range(fy, fy - 3, -1)]
    current_quarter = (today.month - 4) % 12 // 3 + 1
    y, q = fy, current_quarter
    for _ in range(8):
        options.append((f"q:{y}-{q}", quarter(y, q).label))
        y, q = (y, q - 1) if q > 1 else (y - 1, 4)
    first = today.replace(day=1)
    for n in range(12):
        m = first - relativedelta(months=n)
        options.append((f"m:{m:%Y-%m}", month(m.year, m.month).label))
    return options


def parse(value: str) -> Period | None:
    """A period from a choice's value ("fy:2026", "q:2026-3", "m:2026-11"), or None."""
    kind, _, rest = (value or "").partition(":")
    try:
        if kind == "fy":
            return financial_year(int(rest))
        if kind == "q":
            year, number = (int(part) for part in rest.split("-"))
            if 1 <= number <= 4:
                return quarter(year, number)
        if kind == "m":
            year, number = (int(part) for part in rest.split("-"))
            return month(year, number)
    except ValueError:
        return None
    return None


def custom(start: date, end: date) -> Period:
    return Period(start, end, f"{start:%-d %B %Y} to {end:%-d %B %Y}")
