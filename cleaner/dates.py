"""Dates as news pages write them (2022年4月28日, Nov. 19, 2019, ISO 8601), read into ISO 8601;
shared by the stages that find publication dates."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

# ---------------------------------------------------------------- dates

_MONTHS = {
    name: number
    for number, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_NUMERIC_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]+(\d{1,2})[:：](\d\d)(?:[:：](\d\d))?)?"
)
_ENGLISH_DATE = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?"
    r"\s+((?:19|20)\d\d)\b"
    # Day first, with an ordinal or dashes: "9th January 2008", "12-Jan-2008".
    r"|\b(\d{1,2})(?:st|nd|rd|th)?[\s-]+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
    r"\.?,?[\s-]+((?:19|20)\d\d)\b",
    re.I,
)
# The clock between the day and the year, as C's asctime and some CMS stamps print it:
# "Sat Dec 29 15:58:00 2007", "Sat, 29 Dec 15:58:00 2007".
_CLOCK_BEFORE_YEAR = re.compile(
    r"\b(?:(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?P<day>\d{1,2})"
    r"|(?P<day_first>\d{1,2})\s+(?P<month_after>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"[a-z]*\.?)\s+\d{1,2}:\d\d(?::\d\d)?\s+(?P<year>(?:19|20)\d\d)\b",
    re.I,
)

# Month names of the other languages news is written in, spelled out (their abbreviations
# mostly read as English ones already: "mars", "dic."), for "25. September 2018",
# "3 de março de 2020", "12 janvier 2021".
_SPELLED_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            "januar janvier enero janeiro gennaio januari",
            "februar février fevrier febrero fevereiro febbraio februari",
            "märz maerz mars marzo março marco maart",
            "april avril abril aprile",
            "mai mayo maio maggio mei",
            "juni juin junio junho giugno",
            "juli juillet julio julho luglio",
            "august août aout agosto augustus",
            "september septembre septiembre setiembre setembro settembre",
            "oktober octobre octubre outubro ottobre",
            "november novembre noviembre novembro",
            "dezember décembre decembre diciembre dezembro dicembre december",
        ],
        1,
    )
    for name in names.split()
}
_SPELLED_DATE = re.compile(
    r"(?<!\d)(\d{1,2})\.?\s+(?:de\s+)?("
    + "|".join(sorted(_SPELLED_MONTHS, key=len, reverse=True))
    + r")\.?,?\s+(?:de\s+)?((?:19|20)\d\d)\b",
    re.I,
)
# Day, month and year in figures: day first with dots (German, Russian, …: 25.09.2018);
# with - or /, the order is told only when one of the first two numbers is over 12
# (01-14-2008 is January 14th); 03/04/2020 is left unread rather than guessed.
_DAY_MONTH_YEAR = re.compile(r"(?<![\d.])(\d{1,2})([-/.])(\d{1,2})\2((?:19|20)\d\d)(?!\d)")


# A clock written the North American way after a date ("1/7/2008, 6:30 p.m. EST",
# "12/30/2007 01:50:35 AM PST"): the date is written month first.
_AMERICAN_CLOCK = re.compile(
    r"^\W{0,3}(?:\d{1,2}[:.]\d\d(?:[:.]\d\d)?\s*)?(?:[ap]\.?m\.?(?![a-z])|[ECMP][SD]?T\b)", re.I
)


def _figures_date(match: re.Match[str], month_first: bool | None = None) -> str | None:
    first, separator, second, year = match.groups()
    first_number, second_number = int(first), int(second)
    if separator == "." or first_number > 12:
        day, month = first_number, second_number
    elif second_number > 12 or _AMERICAN_CLOCK.match(match.string[match.end() :]):
        month, day = first_number, second_number
    elif month_first is not None:
        month, day = (first_number, second_number) if month_first else (second_number, first_number)
    else:
        return None
    return _iso(int(year), month, day, None, None, None)


def page_date_order(texts: Iterable[str]) -> bool | None:
    """Whether a page writes its dates in figures month first (True) or day first (False),
    as the dates it writes that only one order reads tell ("1/15/2008": month first), when
    they all agree; None when none tells or they disagree. A page writes its dates one
    way, so its "01/08/2008" is then read the same way.

    >>> page_date_order(["Posted 1/15/2008", "01/08/2008 ST LOUIS 6"])
    True
    >>> page_date_order(["25/12/2007", "12/30/2007"]) is None, page_date_order(["03/04/2020"])
    (True, None)
    """
    orders = set()
    # One pass over the page's text: a page has hundreds of lines and few such dates.
    for match in _DAY_MONTH_YEAR.finditer("\n".join(texts)):
        first, separator, second, _ = match.groups()
        if separator == ".":
            continue
        if int(first) > 12 >= int(second):
            orders.add(False)
        elif int(second) > 12 >= int(first):
            orders.add(True)
    return orders.pop() if len(orders) == 1 else None


def normalize_date(value: str, month_first: bool | None = None) -> str | None:
    """An ISO-8601 date or datetime for a date written in a common news format.
    `month_first`: how the page orders dates in figures (`page_date_order`), for one
    that either order reads ("03/04/2020").

    >>> normalize_date("2019-11-19T10:00:00Z")
    '2019-11-19T10:00:00+00:00'
    >>> normalize_date("2022年4月28日 12:19")
    '2022-04-28T12:19:00'
    >>> normalize_date("Nov. 19, 2019")
    '2019-11-19'
    >>> normalize_date("publiziert am 25. September 2018"), normalize_date("01-14-2008 15:45")
    ('2018-09-25', '2008-01-14')
    >>> normalize_date("3 de março de 2020"), normalize_date("25.09.2018")
    ('2020-03-03', '2018-09-25')
    >>> normalize_date("Tuesday 1st January 2008"), normalize_date("Saturday 12-Jan-2008 11:48")
    ('2008-01-01', '2008-01-12')
    >>> normalize_date("03/04/2020") is None  # April 3rd or March 4th
    True
    >>> normalize_date("03/04/2020", month_first=True), normalize_date("03/04/2020", False)
    ('2020-03-04', '2020-04-03')
    >>> normalize_date("1/7/2008, 6:30 p.m. EST"), normalize_date("01/08/2008 9:05 AM")
    ('2008-01-07', '2008-01-08')
    >>> normalize_date("Sat, 29 Dec 15:58:00 2007"), normalize_date("Sat Dec 29 15:58:00 2007")
    ('2007-12-29', '2007-12-29')
    >>> normalize_date("no date here") is None
    True
    """
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return parsed.isoformat() if ("T" in value or " " in value) else parsed.date().isoformat()
    except ValueError:
        pass
    numeric = _NUMERIC_DATE.search(value)
    if numeric:
        year, month, day, hour, minute, second = numeric.groups()
        return _iso(int(year), int(month), int(day), hour, minute, second)
    english = _ENGLISH_DATE.search(value)
    if english:
        month_name, day, year = english.group(1, 2, 3)
        if month_name is None:
            day, month_name, year = english.group(4, 5, 6)
        return _iso(int(year), _MONTHS[month_name.lower()[:3]], int(day), None, None, None)
    clocked = _CLOCK_BEFORE_YEAR.search(value)
    if clocked:
        month_name = clocked.group("month") or clocked.group("month_after")
        day = clocked.group("day") or clocked.group("day_first")
        return _iso(int(clocked.group("year")), _MONTHS[month_name.lower()], int(day), *[None] * 3)
    spelled = _SPELLED_DATE.search(value)
    if spelled:
        day, month_name, year = spelled.groups()
        return _iso(int(year), _SPELLED_MONTHS[month_name.lower()], int(day), None, None, None)
    figures = _DAY_MONTH_YEAR.search(value)
    return _figures_date(figures, month_first) if figures else None


def _iso(year: int, month: int, day: int, hour, minute, second) -> str | None:
    try:
        if hour is None:
            return datetime(year, month, day).date().isoformat()
        return datetime(year, month, day, int(hour), int(minute), int(second or 0)).isoformat()
    except ValueError:
        return None


def fetch_year(fetched: str | None) -> int | None:
    """The year of a fetch time (a WARC-Date, ISO 8601), None when there is none.

    >>> fetch_year("2019-11-19T10:00:00Z"), fetch_year(None), fetch_year("soon")
    (2019, None, None)
    """
    if fetched and len(fetched) >= 4 and fetched[:4].isdigit():
        return int(fetched[:4])
    return None


def first_plausible_date(
    values: Iterable[str], reference_year: int | None = None, month_first: bool | None = None
) -> str | None:
    for value in values:
        date = normalize_date(value, month_first)
        if date and is_plausible_date(date, reference_year):
            return date
    return None


# The earliest year a news page's date is believed (before it, CMS placeholders such as
# "0001-01-01" and epoch dates), and the latest when the input gives no reference date.
# The latest is a fixed year, not today's plus one: the same page must give the same
# record whenever it is cleaned (issue 16), and a placeholder such as "9999-12-31" or
# "2999-01-01" is still refused.
EARLIEST_YEAR = 1990
LATEST_YEAR_WITHOUT_REFERENCE = 2100


def is_plausible_date(iso_date: str, reference_year: int | None = None) -> bool:
    """A news page's date: not a CMS placeholder, not after the year after the page's
    reference year (when it was fetched), never judged against the day of the run.

    >>> is_plausible_date("0001-01-01"), is_plausible_date("2031-05-01")
    (False, True)
    >>> is_plausible_date("2031-05-01", reference_year=2024), is_plausible_date("9999-12-31")
    (False, False)
    """
    year = int(iso_date[:4])
    latest = LATEST_YEAR_WITHOUT_REFERENCE if reference_year is None else reference_year + 1
    return EARLIEST_YEAR <= year <= latest
