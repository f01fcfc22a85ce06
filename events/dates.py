"""Dates and times as each language writes them, from Babel's CLDR data.

Django's `date` filter puts month names in the nominative ("21 Декабрь") and glues Chinese
dates together word by word; CLDR's patterns know the genitive ("21 декабря 2026") and each
language's order. Times are 24-hour everywhere, as event programmes print them. English is
British English, the UN's.
"""

from datetime import datetime

from babel import dates as babel_dates
from django.conf import settings
from django.utils import timezone, translation

# Django's language codes whose Babel locale is not simply to_locale(code).
BABEL_LOCALES = {"en": "en_GB", "zh-hans": "zh_Hans", "zh-hant": "zh_Hant"}

# The date formats templates may ask for: a CLDR length or a skeleton (fields, any order).
DATE_FORMATS = {
    "full": "full",  # Monday, 21 December 2026 · понедельник, 21 декабря
    "long": "long",  # 21 December 2026 · 21 декабря · 2026年12月21日
    "medium": "yMMMd",  # 21 Dec 2026
    "day_month": "MMMMd",  # 21 December · 21 декабря
    "weekday_day_month": "MMMMEEEEd",  # Monday 21 December
    "short_day_month": "MMMd",  # 21 Dec
    "month": "LLL",  # Dec, as it stands alone (a calendar badge)
}


def babel_locale(language: str | None = None) -> str:
    """The Babel locale for a Django language code; the active language by default."""
    language = (language or translation.get_language() or settings.LANGUAGE_CODE).lower()
    return BABEL_LOCALES.get(language) or translation.to_locale(language)


def _local(value: datetime, zone=None) -> datetime:
    """`value` on the clock of `zone` (a name or tzinfo), else of the active time zone."""
    if isinstance(zone, str):
        from zoneinfo import ZoneInfo

        zone = ZoneInfo(zone)
    if timezone.is_naive(value):
        return value
    return timezone.localtime(value, zone)


def format_event_date(value, style="full", *, zone=None, language=None) -> str:
    """A date in words: `style` is one of DATE_FORMATS."""
    if value in (None, ""):
        return ""
    locale = babel_locale(language)
    pattern = DATE_FORMATS.get(style, style)
    local = _local(value, zone) if isinstance(value, datetime) else value
    if pattern in ("full", "long", "medium", "short", "LLL"):
        return babel_dates.format_date(local, pattern, locale=locale)
    return babel_dates.format_skeleton(pattern, local, locale=locale)


def format_event_time(value, *, zone=None, language=None) -> str:
    """The time of day, 24-hour: 10:00."""
    if value in (None, ""):
        return ""
    return babel_dates.format_skeleton("Hm", _local(value, zone), locale=babel_locale(language))


def format_event_datetime(value, style="full", *, zone=None, language=None) -> str:
    """Date and time joined as the language joins them: 'Monday, 21 December 2026, 10:00',
    '2026年12月21日星期一 10:00'."""
    if value in (None, ""):
        return ""
    locale = babel_locale(language)
    glue = babel_dates.get_datetime_format("medium", locale=locale)
    day = format_event_date(value, style, zone=zone, language=language)
    return glue.replace("{1}", day).replace(
        "{0}", format_event_time(value, zone=zone, language=language)
    )


def date_time_separator(language=None) -> str:
    """What the language puts between a date and a time: ', ' in English, '، ' in Arabic,
    ' ' in Chinese (from CLDR's medium date-time pattern, '{1}, {0}')."""
    glue = babel_dates.get_datetime_format("medium", locale=babel_locale(language))
    start, end = glue.find("{1}"), glue.find("{0}")
    return glue[start + 3 : end].replace("'", "") if -1 < start < end else ", "
