"""Business-day arithmetic: a pure module (no database) over a draft's business calendar.

A :class:`BusinessCalendar` is the draft's business days of the week, the holidays of a country
(optionally a subdivision) or of a financial market from the ``holidays`` package, and the
organization's own closure dates. Lint, relative dates, roll forward and the bulk "Shift due
dates" all count business days through the functions here, so any two of them agree.

Weekdays: ``None`` (a draft that never set them, e.g. an imported one) counts Monday–Friday, as a
new draft starts; an empty set means the process has no business day at all: lint refuses it and
every computation here raises :class:`CalendarError` rather than looping for ever.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import holidays as holidays_lib

from processes_api import schema

# How far a search for the next business day may run before the calendar is called unusable
# (a year of closures, say): far beyond any real calendar, and a bound on the work.
MAX_SEARCH_DAYS = 400


class CalendarError(ValueError):
    """The calendar cannot answer: no business days, an unknown holiday calendar, a runaway search."""


@functools.cache
def market_codes() -> frozenset[str]:
    """Return the financial markets the ``holidays`` package knows (NYSE, XNYS, LSE, …)."""
    return frozenset(holidays_lib.list_supported_financial())


@functools.cache
def country_codes() -> dict[str, tuple[str, ...]]:
    """Return the countries the ``holidays`` package knows, with their subdivisions."""
    return {code: tuple(subdivs) for code, subdivs in holidays_lib.list_supported_countries().items()}


def holiday_choices() -> list[tuple[str, str]]:
    """Return (code, label) of every holiday calendar a draft can use: none, then markets, then countries."""
    from holidays import registry

    def title(module: str) -> str:
        return module.replace("_", " ").title()

    def market(codes: tuple[str, ...]) -> str:  # the common alias (NYSE, ECB, JPX) when known, else the MIC
        return codes[2] if len(codes) > 2 and codes[2] in market_codes() else codes[1]

    markets = [
        (market(codes), f"Market: {market(codes)} ({title(module)})") for module, codes in registry.FINANCIAL.items()
    ]
    countries = [(codes[1], f"{title(module)} ({codes[1]})") for module, codes in registry.COUNTRIES.items()]
    return [("", "No public holidays"), *sorted(markets, key=lambda c: c[1]), *sorted(countries, key=lambda c: c[1])]


def validate_holiday_code(code: str) -> str:
    """Return ``code`` normalised (``US``, ``US-CA``, ``NYSE``), or raise CalendarError naming it."""
    code = (code or "").strip().upper()
    if not code:
        return ""
    if code in market_codes():
        return code
    country, _, subdiv = code.partition("-")
    subdivs = country_codes().get(country)
    if subdivs is None:
        raise CalendarError(f'"{code}" is not a country code (such as US) or a market (such as NYSE) we know.')
    if subdiv and subdiv not in subdivs:
        raise CalendarError(f'"{subdiv}" is not a subdivision of {country} (known: {", ".join(subdivs[:12])}…).')
    return code


@functools.lru_cache(maxsize=64)
def _holiday_table(code: str, year: int) -> Mapping[dt.date, str]:
    """Return the holidays of ``code`` in ``year`` as a plain dict (one immutable table per year)."""
    if not code:
        return {}
    if code in market_codes():
        table = holidays_lib.financial_holidays(code, years=year)
    else:
        country, _, subdiv = code.partition("-")
        table = holidays_lib.country_holidays(country, subdiv=subdiv or None, years=year)
    return {day: str(name) for day, name in table.items() if day.year == year}


@dataclass(frozen=True)
class BusinessCalendar:
    """Which days count as business days.

    ``weekdays`` are ISO-less Python weekday numbers (Monday 0 … Sunday 6); ``holiday_code`` a
    country (``US``), a subdivision (``US-CA``) or a market (``NYSE``), empty for none;
    ``closures`` the organization's closure dates with their names.
    """

    weekdays: frozenset[int] = frozenset(range(5))
    holiday_code: str = ""
    closures: Mapping[dt.date, str] = field(default_factory=dict)
    # Answers already worked out (a close asks about the same few weeks thousands of times).
    _seen: dict[dt.date, str | None] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @classmethod
    def build(
        cls,
        *,
        business_days: Iterable[str] | None,
        holiday_code: str = "",
        closures: Mapping[dt.date, str] | None = None,
    ) -> BusinessCalendar:
        """Return the calendar of a draft's ``businessDaysOfWeek`` (None: Monday–Friday), holidays and closures."""
        names = schema.DEFAULT_BUSINESS_DAYS if business_days is None else business_days
        weekdays = frozenset(schema.WEEKDAYS.index(d) for d in names if d in schema.WEEKDAYS)
        return cls(weekdays=weekdays, holiday_code=validate_holiday_code(holiday_code), closures=dict(closures or {}))

    def closed_because(self, day: dt.date) -> str | None:
        """Return why ``day`` is not a business day ("Saturday", a holiday's name…), or None when it is one."""
        try:
            return self._seen[day]
        except KeyError:
            pass
        why: str | None
        if day.weekday() not in self.weekdays:
            why = day.strftime("%A")
        elif day in self.closures:
            why = self.closures[day] or "organization closure"
        else:
            why = _holiday_table(self.holiday_code, day.year).get(day)
        self._seen[day] = why
        return why

    def is_business_day(self, day: dt.date) -> bool:
        return self.closed_because(day) is None

    def _require_days(self) -> None:
        if not self.weekdays:
            raise CalendarError("The calendar has no business days: check at least one day of the week.")

    def _step(self, day: dt.date, direction: int) -> dt.date:
        """Return the first business day strictly after (``direction`` 1) or before (-1) ``day``."""
        self._require_days()
        for _ in range(MAX_SEARCH_DAYS):
            day += dt.timedelta(days=direction)
            if self.is_business_day(day):
                return day
        raise CalendarError(f"No business day within {MAX_SEARCH_DAYS} days of {day.isoformat()}.")

    def previous_business_day(self, day: dt.date) -> dt.date:
        """Return ``day`` when it is a business day, else the last business day before it."""
        return day if self.is_business_day(day) else self._step(day, -1)

    def next_business_day(self, day: dt.date) -> dt.date:
        """Return ``day`` when it is a business day, else the first business day after it."""
        return day if self.is_business_day(day) else self._step(day, 1)

    def business_days_between(self, start: dt.date, end: dt.date) -> int:
        """Return the number of business days in the half-open interval (start, end]; negative when end < start."""
        self._require_days()
        if end < start:
            return -self.business_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_business_day(day):
                count += 1
        return count


def shift_business_days(calendar: BusinessCalendar, date: dt.date, n: int) -> dt.date:
    """Return the date ``n`` business days after ``date`` (before it when ``n`` is negative).

    ``n`` = 0 returns ``date`` itself when it is a business day, else the previous business day
    (the same rule as roll forward's k = 0). Otherwise the count starts from ``date`` whatever it
    is: 1 business day after Saturday is Monday, 1 before Saturday is Friday.
    """
    if n == 0:
        return calendar.previous_business_day(date)
    direction = 1 if n > 0 else -1
    day = date
    for _ in range(abs(n)):
        day = calendar._step(day, direction)
    return day


def roll_date(calendar: BusinessCalendar, day: dt.date, old_due: dt.date, new_due: dt.date) -> dt.date:
    """Return where ``day`` lands when the process due date moves from ``old_due`` to ``new_due``.

    With k the number of business days in (day, old_due] (or minus those in (old_due, day] when
    ``day`` is after it), the answer is the business day d′ with k business days in (d′, ``new_due``];
    k = 0 gives ``new_due`` itself when it is a business day, else the previous business day.
    """
    k = calendar.business_days_between(day, old_due)
    # Counted from the last business day on or before D′: (that day, D′] holds no business day, so
    # the count in (d′, D′] is exactly k, and distinct k give distinct dates even when D′ is a Sunday.
    return shift_business_days(calendar, calendar.previous_business_day(new_due), -k)


def rule_date(calendar: BusinessCalendar, process_due: dt.date, rule: Mapping[str, Any]) -> dt.date:
    """Return the date ``rule`` gives: ``days`` business days after (negative: before) the process due date."""
    return shift_business_days(calendar, process_due, int(rule["days"]))


def describe_rule(rule: Mapping[str, Any]) -> str:
    """Return a rule in words: "3 business days before the process due date"."""
    days = int(rule.get("days", 0))
    if days == 0:
        return "on the process due date (or the business day before it)"
    unit = "business day" if abs(days) == 1 else "business days"
    return f"{abs(days)} {unit} {'before' if days < 0 else 'after'} the process due date"
