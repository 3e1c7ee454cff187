"""The business calendar (designer/calendar.py): weekends, holidays, closures, shifting and rolling dates."""

from __future__ import annotations

import datetime as dt

import pytest

from designer.calendar import (
    BusinessCalendar,
    CalendarError,
    roll_date,
    shift_business_days,
    validate_holiday_code,
)

D = dt.date
MON_FRI = BusinessCalendar.build(business_days=None)
US = BusinessCalendar.build(business_days=None, holiday_code="US")
NYSE = BusinessCalendar.build(business_days=None, holiday_code="NYSE")


def test_unset_weekdays_count_monday_to_friday():
    assert MON_FRI.is_business_day(D(2026, 12, 4))  # Friday
    assert MON_FRI.closed_because(D(2026, 12, 5)) == "Saturday"
    assert MON_FRI.closed_because(D(2026, 12, 6)) == "Sunday"


def test_chosen_weekdays_only():
    cal = BusinessCalendar.build(business_days=["sunday", "monday", "tuesday", "wednesday", "thursday"])
    assert cal.is_business_day(D(2026, 12, 6))  # Sunday
    assert cal.closed_because(D(2026, 12, 4)) == "Friday"


def test_us_holidays_are_not_business_days():
    assert US.closed_because(D(2026, 11, 26)) == "Thanksgiving Day"
    assert US.closed_because(D(2026, 7, 3)) == "Independence Day (observed)"
    assert MON_FRI.is_business_day(D(2026, 11, 26))


def test_subdivision_holidays():
    cal = BusinessCalendar.build(business_days=None, holiday_code="us-ca")
    assert cal.holiday_code == "US-CA"
    assert cal.closed_because(D(2026, 3, 31)) == "Cesar Chavez Day"
    assert US.is_business_day(D(2026, 3, 31))


def test_nyse_closes_on_good_friday_which_is_no_us_federal_holiday():
    assert NYSE.closed_because(D(2026, 4, 3)) == "Good Friday"
    assert US.is_business_day(D(2026, 4, 3))
    assert shift_business_days(NYSE, D(2026, 4, 6), -1) == D(2026, 4, 2)


def test_organization_closures_are_not_business_days():
    cal = BusinessCalendar.build(business_days=None, closures={D(2026, 12, 28): "Year-end shutdown"})
    assert cal.closed_because(D(2026, 12, 28)) == "Year-end shutdown"
    assert cal.previous_business_day(D(2026, 12, 28)) == D(2026, 12, 25)
    assert US.previous_business_day(D(2026, 12, 25)) == D(2026, 12, 24)


def test_empty_weekday_set_has_no_business_day_and_says_so():
    cal = BusinessCalendar.build(business_days=[])
    assert not cal.is_business_day(D(2026, 12, 2))
    with pytest.raises(CalendarError, match="no business days"):
        shift_business_days(cal, D(2026, 12, 2), 1)
    with pytest.raises(CalendarError, match="no business days"):
        cal.business_days_between(D(2026, 12, 1), D(2026, 12, 9))


def test_a_year_of_closures_ends_the_search_with_an_error():
    closures = {D(2025, 1, 1) + dt.timedelta(days=i): "closed" for i in range(900)}
    cal = BusinessCalendar.build(business_days=None, closures=closures)
    with pytest.raises(CalendarError, match="No business day"):
        cal.previous_business_day(D(2026, 6, 1))


def test_unknown_holiday_codes_are_refused_by_name():
    with pytest.raises(CalendarError, match='"XX"'):
        validate_holiday_code("XX")
    with pytest.raises(CalendarError, match='"ZZ" is not a subdivision of US'):
        validate_holiday_code("US-ZZ")
    assert validate_holiday_code(" nyse ") == "NYSE"
    assert validate_holiday_code("") == ""


def test_shift_business_days_over_weekends_and_holidays():
    assert shift_business_days(MON_FRI, D(2026, 12, 4), 1) == D(2026, 12, 7)  # Fri → Mon
    assert shift_business_days(MON_FRI, D(2026, 12, 7), -1) == D(2026, 12, 4)
    assert shift_business_days(MON_FRI, D(2026, 12, 5), 1) == D(2026, 12, 7)  # from a Saturday
    assert shift_business_days(MON_FRI, D(2026, 12, 5), -1) == D(2026, 12, 4)
    assert shift_business_days(MON_FRI, D(2026, 12, 5), 0) == D(2026, 12, 4)
    assert shift_business_days(US, D(2026, 12, 24), 1) == D(2026, 12, 28)  # over Christmas
    assert shift_business_days(US, D(2027, 1, 4), -3) == D(2026, 12, 29)  # over New Year's Day


def test_business_days_between_is_the_half_open_interval():
    assert MON_FRI.business_days_between(D(2026, 12, 4), D(2026, 12, 7)) == 1  # (Fri, Mon]
    assert MON_FRI.business_days_between(D(2026, 12, 7), D(2026, 12, 4)) == -1
    assert MON_FRI.business_days_between(D(2026, 12, 5), D(2026, 12, 6)) == 0
    assert MON_FRI.business_days_between(D(2026, 12, 1), D(2026, 12, 15)) == 10


class TestRollDate:
    """The issue's rule, with D the old due date and D′ the new one."""

    def test_a_date_before_d_keeps_its_business_day_distance(self):
        # D = Thu 2026-12-31; d = Mon 2026-12-28 is 3 business days before it in (d, D].
        new = roll_date(US, D(2026, 12, 28), D(2026, 12, 31), D(2027, 3, 31))
        assert new == D(2027, 3, 26)  # Wed 3/31 minus 3 business days = Fri 3/26
        assert US.business_days_between(new, D(2027, 3, 31)) == 3

    def test_a_date_after_d(self):
        new = roll_date(US, D(2027, 1, 5), D(2026, 12, 31), D(2027, 3, 31))
        # (D, d] = Jan 4, Jan 5 (Jan 1 is a holiday) → k = -2 → two business days after 3/31.
        assert new == D(2027, 4, 2)

    def test_d_itself_lands_on_d_prime(self):
        assert roll_date(US, D(2026, 12, 31), D(2026, 12, 31), D(2027, 3, 31)) == D(2027, 3, 31)

    def test_d_prime_on_a_weekend_gives_the_business_day_before_for_k_zero(self):
        assert roll_date(US, D(2026, 12, 31), D(2026, 12, 31), D(2027, 7, 4)) == D(2027, 7, 2)

    def test_d_prime_on_a_holiday_counts_back_from_it(self):
        # D′ = Fri 2027-12-24 is Christmas observed: k = 0 → Thu 12/23; k = 1 → Wed 12/22, the
        # business day with exactly one business day (12/23) in (d′, D′].
        assert roll_date(US, D(2026, 12, 31), D(2026, 12, 31), D(2027, 12, 24)) == D(2027, 12, 23)
        assert roll_date(US, D(2026, 12, 30), D(2026, 12, 31), D(2027, 12, 24)) == D(2027, 12, 22)
        assert roll_date(US, D(2027, 1, 4), D(2026, 12, 31), D(2027, 12, 24)) == D(2027, 12, 27)

    @pytest.mark.parametrize("old", [D(2026, 12, 31), D(2026, 12, 26), D(2027, 1, 1)])
    @pytest.mark.parametrize("new", [D(2027, 3, 31), D(2027, 7, 4), D(2027, 11, 25), D(2027, 12, 24)])
    def test_every_rolled_date_is_a_business_day_at_the_same_distance(self, old, new):
        """Every day of two months around D, for D and D′ on business days, weekends and holidays."""
        anchor = US.previous_business_day(new)
        for offset in range(-45, 30):
            day = old + dt.timedelta(days=offset)
            rolled = roll_date(US, day, old, new)
            assert US.is_business_day(rolled), (day, rolled)
            assert US.business_days_between(rolled, anchor) == US.business_days_between(day, old), (day, rolled)


def test_the_holiday_choices_offer_none_markets_and_countries_with_subdivisions_valid():
    from designer.calendar import holiday_choices

    choices = dict(holiday_choices())
    assert choices[""] == "No public holidays"
    assert "NYSE" in choices
    assert "US" in choices
    assert "DE" in choices
    for code in choices:
        assert validate_holiday_code(code) == code
