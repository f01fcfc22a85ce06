"""Dates in each language's own words and grammatical case, from Babel's CLDR data (these need
no catalogue of ours)."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils import translation

# 15:00 UTC is 10:00 in New York on Monday 21 December 2026.
MOMENT = datetime(2026, 12, 21, 15, 0, tzinfo=UTC)


def render(language, text, zone="America/New_York"):
    template = Template(
        "{% load tz plenary_dates %}{% timezone zone %}" + text + "{% endtimezone %}"
    )
    with translation.override(language):
        return template.render(Context({"moment": MOMENT, "zone": zone}))


@pytest.mark.parametrize(
    ("language", "full", "long"),
    [
        ("en", "Monday, 21 December 2026", "21 December 2026"),
        ("fr", "lundi 21 décembre 2026", "21 décembre 2026"),
        ("es", "lunes, 21 de diciembre de 2026", "21 de diciembre de 2026"),
        ("ru", "понедельник, 21 декабря 2026\u202fг.", "21 декабря 2026\u202fг."),
        ("zh-hans", "2026年12月21日星期一", "2026年12月21日"),
        ("ar", "الاثنين، 21 ديسمبر 2026", "21 ديسمبر 2026"),
    ],
)
def test_event_date_reads_as_the_language_writes_it(language, full, long):
    assert render(language, "{{ moment|event_date }}") == full
    assert render(language, '{{ moment|event_date:"long" }}') == long


def test_russian_months_are_genitive_in_a_date_never_nominative():
    assert render("ru", '{{ moment|event_date:"day_month" }}') == "21 декабря"
    assert "Декабрь" not in render("ru", "{{ moment|event_datetime }}")


def test_chinese_date_and_time_join_without_a_comma():
    assert render("zh-hans", "{{ moment|event_datetime }}") == "2026年12月21日星期一 10:00"


def test_times_are_24_hour_on_the_events_clock_in_every_language():
    for language in ("en", "fr", "es", "ru", "zh-hans", "ar"):
        assert render(language, "{{ moment|event_time }}") == "10:00"
    assert render("fr", "{{ moment|event_time }}", zone="Europe/Paris") == "16:00"


def test_the_date_is_the_events_local_date_not_utcs():
    late = "{{ moment|event_date }}"
    template = Template(
        "{% load tz plenary_dates %}{% timezone 'Asia/Tokyo' %}" + late + "{% endtimezone %}"
    )
    with translation.override("en"):
        assert template.render(Context({"moment": datetime(2026, 12, 21, 20, 0, tzinfo=UTC)})) == (
            "Tuesday, 22 December 2026"
        )


def test_the_calendar_badge_month_stands_alone():
    assert render("ru", '{{ moment|event_date:"month" }}') == "дек."
    assert render("ar", '{{ moment|event_date:"month" }}') == "ديسمبر"


def test_date_and_time_are_joined_with_the_languages_own_comma():
    assert render("ar", "{{ moment|event_datetime }}") == "الاثنين، 21 ديسمبر 2026، 10:00"
    assert render("ar", "{% date_time_separator %}") == "، "
    assert render("zh-hans", "{% date_time_separator %}") == " "
    assert render("en", "{% date_time_separator %}") == ", "
