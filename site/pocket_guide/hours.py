"""Opening hours as data, written out in any language from Babel's locale data.

Pure functions, no Flask: ``parse_day`` reads one day's value from
``site.toml`` ("09:00-17:00", "08:00-12:30, 14:00-18:00" or "closed") and
``rows`` turns a week into the lines a page shows, in one locale: days that
share their hours are grouped ("Monday – Friday", "Saturday and Sunday"),
weekday names, ranges and lists come from the locale, and the clock is 12- or
24-hour as the locale writes it. Closed days are left out. Times come back as
separate strings so the page can isolate each range (``<bdi>``): a range of
digits and a dash would otherwise be reversed in right-to-left text.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from babel import Locale
from babel.dates import format_interval, format_time, get_day_names
from babel.lists import format_list

#: Monday first, as Python's ``date.weekday()`` counts.
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
CLOSED = "closed"
RANGE_RE = re.compile(r"^([0-2]?\d):([0-5]\d)\s*[-\u2013]\s*([0-2]?\d):([0-5]\d)$")
#: A fixed day to hang times on, so formatting never depends on the day of the build.
DAY = dt.date(2024, 1, 1)
#: Stand-ins for the items of a locale's list pattern, found again after formatting.
MARK = "\ue000{}\ue001"
MARK_RE = re.compile("\ue000(\\d+)\ue001")

Range = tuple[dt.time, dt.time]


@dataclass(frozen=True)
class OpeningHours:
    """A week's hours, Monday first; an empty tuple is a closed day."""

    days: tuple[tuple[Range, ...], ...] = ((),) * 7
    closed_on_public_holidays: bool = False

    @property
    def is_open(self) -> bool:
        return any(self.days)


@dataclass(frozen=True)
class Row:
    """One line of the hours: the days it covers, and its time ranges with the locale's words between."""

    days: str
    #: Time range, joining words (", ", " and "), time range, ...: the ranges are the even items.
    parts: tuple[str, ...]

    @property
    def times(self) -> tuple[str, ...]:
        return self.parts[::2]


def parse_day(value: str) -> tuple[Range, ...]:
    """One day's hours: ``"closed"`` or ranges ``"HH:MM-HH:MM"`` separated by commas.

    Raises ``ValueError`` saying what is wrong with the value.
    """
    text = value.strip()
    if text.lower() == CLOSED:
        return ()
    ranges: list[Range] = []
    for piece in text.split(","):
        match = RANGE_RE.match(piece.strip())
        if not match:
            raise ValueError("is not a time range")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or h2 > 23:
            raise ValueError("has an hour that does not exist")
        start, end = dt.time(h1, m1), dt.time(h2, m2)
        if end <= start:
            raise ValueError("closes before it opens")
        if ranges and start < ranges[-1][1]:
            raise ValueError("has ranges that overlap or are out of order")
        ranges.append((start, end))
    return tuple(ranges)


def uses_12_hour_clock(locale: Locale) -> bool:
    """True when the locale writes times with a 12-hour clock (its short time pattern has h or K)."""
    pattern = re.sub(r"'[^']*'", "", locale.time_formats["short"].pattern)
    return bool(re.search(r"[hK]", pattern))


def between(first: str, last: str, locale: Locale) -> str:
    """``first`` to ``last`` in the locale's fallback interval pattern (``{0} – {1}``)."""
    return locale.interval_formats[None].replace("{0}", first).replace("{1}", last)


def time_range(start: dt.time, end: dt.time, locale: Locale) -> str:
    """``9:00 AM – 5:00 PM``, ``09:00–17:00 Uhr``, ``9時00分～17時00分``: the locale's interval format."""
    skeleton = "hm" if uses_12_hour_clock(locale) else "Hm"
    first, last = dt.datetime.combine(DAY, start), dt.datetime.combine(DAY, end)
    try:
        return format_interval(first, last, skeleton, tzinfo=dt.timezone.utc, locale=locale)
    except (NotImplementedError, KeyError, ValueError):
        # Babel cannot yet write every CLDR pattern as an interval (flexible day periods, "B"):
        # both ends in the locale's short time format, joined by its fallback interval pattern.
        ends = [format_time(t, "short", tzinfo=dt.timezone.utc, locale=locale) for t in (first, last)]
        return between(*ends, locale)


def _runs(days: list[int]) -> list[list[int]]:
    """Consecutive runs of week positions: [0, 1, 2, 4] -> [[0, 1, 2], [4]]."""
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


def _listed(items: list[str], locale: Locale) -> tuple[str, ...]:
    """``items`` joined by the locale's list pattern, as (item, joining words, item, ...)."""
    if len(items) == 1:
        return (items[0],)
    joined = format_list([MARK.format(i) for i in range(len(items))], style="standard", locale=locale)
    pieces = MARK_RE.split(joined)  # ['', '0', ', ', '1', ' and ', '2', '']
    return tuple(items[int(p)] if i % 2 else p for i, p in enumerate(pieces[1:-1], 1))


def rows(hours: OpeningHours, locale: Locale | str) -> list[Row]:
    """The open days of ``hours`` as lines to show in ``locale``, in the locale's week order."""
    locale = Locale.parse(locale)
    names = get_day_names("wide", context="stand-alone", locale=locale)
    order = [(locale.first_week_day + i) % 7 for i in range(7)]
    groups: dict[tuple[Range, ...], list[int]] = {}
    for position, day in enumerate(order):
        if hours.days[day]:
            groups.setdefault(hours.days[day], []).append(position)
    out = []
    for ranges, positions in groups.items():
        labels = []
        for run in _runs(positions):
            first, last = names[order[run[0]]], names[order[run[-1]]]
            if len(run) == 1:
                labels.append(first)
            elif len(run) == 2:
                labels += [first, last]
            else:
                labels.append(between(first, last, locale))
        label = "".join(_listed(labels, locale))
        times = [time_range(start, end, locale) for start, end in ranges]
        out.append(Row(days=label[:1].upper() + label[1:], parts=_listed(times, locale)))
    return out
