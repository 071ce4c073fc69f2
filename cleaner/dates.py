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
    r"|\b(\d{1,2})\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+((?:19|20)\d\d)\b",
    re.I,
)


def normalize_date(value: str) -> str | None:
    """An ISO-8601 date or datetime for a date written in a common news format.

    >>> normalize_date("2019-11-19T10:00:00Z")
    '2019-11-19T10:00:00+00:00'
    >>> normalize_date("2022年4月28日 12:19")
    '2022-04-28T12:19:00'
    >>> normalize_date("Nov. 19, 2019")
    '2019-11-19'
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
    return None


def _iso(year: int, month: int, day: int, hour, minute, second) -> str | None:
    try:
        if hour is None:
            return datetime(year, month, day).date().isoformat()
        return datetime(year, month, day, int(hour), int(minute), int(second or 0)).isoformat()
    except ValueError:
        return None


def first_plausible_date(values: Iterable[str], reference_year: int | None = None) -> str | None:
    for value in values:
        date = normalize_date(value)
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
