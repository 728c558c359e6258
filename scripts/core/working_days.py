"""The organisation's working-day calendar: which days count towards a deadline.

Working days exclude the weekend (the country's own unless the policy gives one), the
public holidays of the country and subdivision from the `holidays` package, and the
organisation's own closures. Deadlines count from "day zero", the date the clock starts,
whatever kind of day that is (DESIGN.md section 4, "Deadline rules").
"""

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from datetime import MAXYEAR, MINYEAR, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Literal, Protocol, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:  # `holidays` takes longer to import than the rest of `complaints show`:
    # it is imported when a calendar is first built, or a year's holidays first looked up
    import holidays

__all__ = ["Calendar", "calendar_for"]

DAYS_MODES = ("working", "calendar")
UNITS = DAYS_MODES + ("calendar-exact",)
"""How one step's days may count (a policy's `unit`, per step)."""
ONE_DAY = timedelta(days=1)
_REMEMBERED = 4096
"""How many moments' local dates a calendar keeps (see `Calendar.local_date`)."""


class Calendar:
    """Which days count, for one organisation."""

    def __init__(
        self,
        country: str,
        subdivision: str | None = None,
        timezone: str = "UTC",
        weekend: Iterable[int] | None = None,
        closures: Iterable[date] = (),
        days: Literal["working", "calendar"] = "working",
    ):
        self.country = country
        self.subdivision = subdivision
        self.zone = _zone(timezone)
        # Built for no year at all: a register spans decades, so years are looked up
        # only when a date in them is asked about (see _holidays_in).
        found = _country_holidays(country, subdivision, years=())
        self.weekend = _weekend(found.weekend if weekend is None else weekend)
        self.closures = frozenset(_plain_date(day, "closure") for day in closures)
        if days not in DAYS_MODES:
            raise ValueError(f"days must be 'working' or 'calendar', not {days!r}")
        self.days = days
        self._by_year: dict[int, frozenset[date]] = {}
        self._off_by_year: dict[int, frozenset[date]] = {}

    _local_dates: dict[datetime, date]
    """The local dates `local_date` worked out, by moment."""

    def __getstate__(self) -> dict[str, object]:
        # Pickled (the register's cache, a pool's processes) without the moments' dates.
        state = dict(self.__dict__)
        state.pop("_local_dates", None)
        return state

    def __repr__(self) -> str:
        where = self.country + (f"-{self.subdivision}" if self.subdivision else "")
        return f"Calendar({where}, {self.zone.key}, days={self.days})"

    def is_working(self, day: date) -> bool:
        """True unless `day` is a weekend day, a public holiday or a closure."""
        day = _plain_date(day, "day")
        return (
            day.weekday() not in self.weekend
            and day not in self.closures
            and day not in self._holidays_in(day.year)
        )

    def local_date(self, at: date | datetime) -> date:
        """The calendar date of `at` in the organisation's time zone.

        A date is returned as is; an aware datetime is converted to the zone first; a
        naive datetime is taken as already being in the zone.
        """
        if type(at) is date:  # most events' moments: a day
            return at
        if isinstance(at, datetime):
            # Remembered: checking a complaint asks about each of its moments many times.
            # Equal datetimes are one moment (aware) or one wall-clock time (naive), and so
            # one local date; a naive one never equals an aware one.
            try:
                kept = self._local_dates
            except AttributeError:  # new, or unpickled: the dates are not kept with it
                kept = self._local_dates = {}
            found = kept.get(at)
            if found is None:
                found = self._local(at).date()
                if len(kept) >= _REMEMBERED:
                    kept.clear()
                kept[at] = found
            return found
        if isinstance(at, date):
            return at
        raise TypeError(f"expected a date or datetime, got {type(at).__name__}")

    def local_time(self, at: datetime) -> time:
        """The wall-clock time of `at` in the organisation's time zone, by the same rules
        as local_date (orders the events recorded on one day)."""
        if not isinstance(at, datetime):
            raise TypeError(f"expected a datetime, got {type(at).__name__}")
        return self._local(at).time()

    def today(self) -> date:
        """Today's date in the organisation's time zone (the default "as of" date)."""
        return datetime.now(self.zone).date()

    def next_working(self, day: date) -> date:
        """`day` itself if it is a working day, else the first working day after it."""
        day = _plain_date(day, "day")
        off = self._days_off_in(day.year)
        while day.weekday() in self.weekend or day in off:  # not is_working(day)
            day += ONE_DAY
            if day.month == 1 and day.day == 1:
                off = self._days_off_in(day.year)
        return day

    def add(self, start: date, n: int, unit: str | None = None) -> date:
        """The due date `n` days after day zero `start` (start may be any day).

        days="working": the n-th working day after `start` (n=0: next_working(start)).
        days="calendar": next_working(start + n calendar days).
        `unit` counts one step its own way instead of by `days`: "working", "calendar", or
        "calendar-exact" (start + n calendar days, whatever kind of day that is).
        """
        start = _plain_date(start, "start")
        n = _number_of_days(n)
        unit = self._unit(unit)
        if unit == "calendar-exact":
            return start + timedelta(days=n)
        if unit == "calendar":
            return self.next_working(start + timedelta(days=n))
        if n == 0:
            return self.next_working(start)
        # The n-th of the working days after `start`, found in each year's list of them
        # (counting day by day was most of the time a complaint's deadlines took).
        after, year = start.toordinal(), start.year
        while True:
            days = self._working_days_in(year)
            first = bisect_right(days, after)  # the first working day after `after`
            if first + n <= len(days):
                return date.fromordinal(days[first + n - 1])
            n -= len(days) - first
            year += 1
            if year > MAXYEAR:
                raise OverflowError("date value out of range")

    def count(self, after: date, through: date, unit: str | None = None) -> int:
        """How many counting days d there are with after < d <= through: working days,
        or calendar days when days="calendar" (or `unit`, as in `add`, says calendar days).
        0 when through <= after."""
        if self._unit(unit) != "working":
            after, through = _plain_date(after, "after"), _plain_date(through, "through")
            return max((through - after).days, 0)
        return self.working_days_between(after, through)

    def working_days_between(self, after: date, through: date) -> int:
        """How many working days d there are with after < d <= through, whatever `days`
        is ("days late", "due within N working days"). 0 when through <= after."""
        after, through = _plain_date(after, "after"), _plain_date(through, "through")
        if through <= after:
            return 0
        # Counted by weeks, not day by day, so that a span of decades costs little: every
        # whole week holds the same weekend, the days after the last one are looked at one by
        # one, and then the holidays and closures that fall on other days are taken off.
        weeks, rest = divmod((through - after).days, 7)
        total = weeks * (7 - len(self.weekend))
        last_week = after + timedelta(days=7 * weeks)
        for i in range(1, rest + 1):
            total += (last_week + timedelta(days=i)).weekday() not in self.weekend
        for year in range(after.year, through.year + 1):
            total -= sum(1 for day in self._days_off_in(year) if after < day <= through)
        return total

    def _unit(self, unit: str | None) -> str:
        if unit is None:
            return self.days
        if unit not in UNITS:
            raise ValueError(f"a unit is one of {', '.join(UNITS)}, not {unit!r}")
        return unit

    def _local(self, at: datetime) -> datetime:
        if at.utcoffset() is None:
            return at  # naive: already the organisation's wall-clock time
        return at.astimezone(self.zone)

    def _days_off_in(self, year: int) -> frozenset[date]:
        """The holidays and closures in `year` that do not fall on the weekend."""
        found = self._off_by_year.get(year)
        if found is None:
            closed = {day for day in self.closures if day.year == year}
            found = frozenset(
                day for day in self._holidays_in(year) | closed if day.weekday() not in self.weekend
            )
            self._off_by_year[year] = found
        return found

    def _working_days_in(self, year: int) -> list[int]:
        """The working days of `year` (their ordinals), in order, worked out once and kept."""
        # In __dict__ under a name calendars kept in the cache before it did not have.
        kept: dict[int, list[int]] = self.__dict__.setdefault("_working_by_year", {})
        found = kept.get(year)
        if found is None:
            off = {day.toordinal() for day in self._days_off_in(year)}
            first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
            # (ordinal + 6) % 7 is the weekday: ordinal 1, 0001-01-01, was a Monday
            found = [
                day
                for day in range(first, last + 1)
                if (day + 6) % 7 not in self.weekend and day not in off
            ]
            kept[year] = found
        return found

    def _holidays_in(self, year: int) -> frozenset[date]:
        """The public holidays that fall in `year`, looked up once and kept."""
        found = self._by_year.get(year)
        if found is None:
            # The neighbouring years too, because a substitute day can cross New Year
            # (the US observes New Year's Day 2022, a Saturday, on Friday 2021-12-31).
            nearby = range(max(year - 1, MINYEAR), min(year + 1, MAXYEAR) + 1)
            listed = _country_holidays(self.country, self.subdivision, years=nearby)
            found = frozenset(day for day in listed if day.year == year)
            self._by_year[year] = found
        return found


class CalendarSection(Protocol):
    """A policy's `calendar` section, as `calendar_for` reads it."""

    @property
    def country(self) -> str: ...
    @property
    def subdivision(self) -> str | None: ...
    @property
    def timezone(self) -> str: ...
    @property
    def weekend(self) -> Sequence[str | int] | None: ...
    @property
    def closures(self) -> Iterable[date]: ...
    @property
    def days(self) -> Literal["working", "calendar"]: ...


class HasCalendar(Protocol):
    """A policy, or anything else with a `calendar` section."""

    @property
    def calendar(self) -> CalendarSection: ...


def calendar_for(policy: HasCalendar) -> Calendar:
    """The Calendar for a policy: anything with a `calendar` section holding country,
    subdivision, timezone, weekend (day names or 0-6 numbers, or None), closures, days."""
    settings = policy.calendar
    names = settings.weekend
    weekend = None if names is None else [_weekday_number(day) for day in names]
    return Calendar(
        settings.country,
        settings.subdivision,
        timezone=settings.timezone,
        weekend=weekend,
        closures=settings.closures,
        days=settings.days,
    )


def _weekday_number(day: str | int) -> int:
    # policy.yaml spells weekend days out ("friday"); Calendar takes date.weekday() numbers.
    from complaints_register.schema.policy import WEEKDAYS

    if isinstance(day, str) and day.lower() in WEEKDAYS:
        return WEEKDAYS.index(day.lower())
    # Anything else goes to Calendar as it is, which refuses it as it refuses a bad number.
    return cast(int, day)


def _country_holidays(
    country: str, subdivision: str | None, years: Iterable[int]
) -> "holidays.HolidayBase":
    """The `holidays` object for country and subdivision, with plain-English errors."""
    import holidays

    supported = holidays.list_supported_countries()
    # country_holidays() looks the code up as an attribute of the package, so check
    # first: otherwise "Italy" or "HolidayBase" would be taken for a country code.
    if not isinstance(country, str) or country not in supported:
        raise ValueError(f"unknown country {country!r}")
    try:
        return holidays.country_holidays(country, subdiv=subdivision, years=years)
    except NotImplementedError:
        known = supported[country]
        if not known:
            raise ValueError(f"{country} has no subdivisions, not even {subdivision!r}") from None
        raise ValueError(
            f"{country} has no subdivision {subdivision!r} (known: {', '.join(known)})"
        ) from None


def _zone(timezone: str) -> ZoneInfo:
    try:
        return ZoneInfo(timezone)
    # ValueError: keys that are not names at all ("", "../x", absolute paths).
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValueError(f"unknown time zone {timezone!r}") from None


def _weekend(days: Iterable[int]) -> frozenset[int]:
    days = frozenset(days)
    bad = sorted((day for day in days if type(day) is not int or not 0 <= day <= 6), key=repr)
    if bad:
        raise ValueError(f"weekend days are 0 (Monday) to 6 (Sunday), not {bad[0]!r}")
    if len(days) == 7:
        raise ValueError("a weekend of all seven days leaves no working day")
    return days


def _plain_date(value: object, what: str) -> date:
    # A datetime is a date to Python, but its date depends on the time zone: make the
    # caller say which by going through local_date().
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(
            f"{what} must be a date, not {type(value).__name__} (use local_date() first)"
        )
    return value


def _number_of_days(n: object) -> int:
    if type(n) is not int:
        raise TypeError(f"a number of days must be a whole number, not {n!r}")
    if n < 0:
        raise ValueError(f"a number of days cannot be negative, got {n}")
    return n
