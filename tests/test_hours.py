"""Opening hours written out per language from Babel's locale data (the pure module hours.py)."""
from __future__ import annotations

import datetime as dt

import pytest
from babel import Locale
from babel.localedata import locale_identifiers

from helpers import REPO
from pocket_guide.catalogs import catalog_paths
from pocket_guide.hours import OpeningHours, parse_day, rows, uses_12_hour_clock

NINE_TO_FIVE = parse_day("09:00-17:00")
WEEKDAYS = OpeningHours((NINE_TO_FIVE,) * 5 + ((), ()), closed_on_public_holidays=True)


def shown(hours: OpeningHours, locale: str) -> list[tuple[str, str]]:
    """(days, times) per row, with the locale's thin and narrow spaces as plain spaces."""
    def plain(text: str) -> str:
        return text.replace("\u2009", " ").replace("\u202f", " ")
    return [(plain(row.days), plain("".join(row.parts))) for row in rows(hours, locale)]


@pytest.mark.parametrize("locale, days, times", [
    ("en", "Monday – Friday", "9:00 AM – 5:00 PM"),          # 12-hour clock
    ("de", "Montag – Freitag", "09:00–17:00 Uhr"),           # 24-hour, with the word for o'clock
    ("ar", "الاثنين – الجمعة", "9:00 ص – 5:00 م"),            # right to left, Arabic day periods
    ("zh_Hans", "星期一 – 星期五", "09:00–17:00"),
    ("ja", "月曜日～金曜日", "9時00分～17時00分"),            # the locale's own range sign
    ("he", "יום שני – יום שישי", "9:00–17:00"),
    ("hi", "सोमवार – शुक्रवार", "9:00 am – 5:00 pm"),
])
def test_consecutive_days_with_the_same_hours_are_one_range_in_the_locale(locale, days, times):
    assert shown(WEEKDAYS, locale) == [(days, times)]


def test_days_apart_are_listed_and_a_split_day_lists_its_ranges():
    split = parse_day("09:00-12:30, 14:00-18:00")
    week = OpeningHours((NINE_TO_FIVE, (), NINE_TO_FIVE, (), NINE_TO_FIVE, split, split))
    assert shown(week, "en") == [("Monday, Wednesday, and Friday", "9:00 AM – 5:00 PM"),
                                 ("Saturday and Sunday", "9:00 AM – 12:30 PM and 2:00 – 6:00 PM")]
    assert shown(week, "de") == [("Montag, Mittwoch und Freitag", "09:00–17:00 Uhr"),
                                 ("Samstag und Sonntag", "09:00–12:30 Uhr und 14:00–18:00 Uhr")]
    assert [row.times for row in rows(week, "zh_Hans")][1] == ("09:00–12:30", "14:00–18:00"), \
        "each range separate, so the page can isolate it"


def test_a_row_starts_with_a_capital_where_the_script_has_one():
    assert shown(WEEKDAYS, "es_419")[0][0] == "Lunes – viernes"
    assert shown(WEEKDAYS, "fr")[0][0] == "Lundi – vendredi"


@pytest.mark.parametrize("value, problem", [
    ("9 to 5", "is not a time range"),
    ("17:00-09:00", "closes before it opens"),
    ("09:00-25:00", "has an hour that does not exist"),
    ("14:00-18:00, 09:00-12:00", "has ranges that overlap or are out of order"),
])
def test_a_day_that_is_not_hours_says_why(value, problem):
    with pytest.raises(ValueError, match=f"^{problem}$"):
        parse_day(value)


def test_a_day_is_ranges_or_closed():
    assert parse_day("Closed") == ()
    assert parse_day(" 8:00 – 12:30 ,13:30-17:00 ") == ((dt.time(8), dt.time(12, 30)), (dt.time(13, 30), dt.time(17)))


def test_every_published_language_writes_the_hours_in_its_own_clock():
    for code in ["en", *catalog_paths(REPO / "translations")]:
        (days, times), = shown(WEEKDAYS, code)
        assert days and ("17" in times) != uses_12_hour_clock(Locale.parse(code)), (code, times)


def test_every_locale_babel_knows_writes_a_week_without_error():
    """Babel cannot write some CLDR interval patterns (zh_Hant's flexible day periods): a fallback does."""
    week = OpeningHours((NINE_TO_FIVE, parse_day("09:00-11:30"), parse_day("13:00-14:00"), (), (), (), ()))
    for locale in locale_identifiers():
        assert len(rows(week, locale)) == 3, locale
