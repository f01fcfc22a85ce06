"""Template filters for dates in the active language, on the active time zone's clock.

    {% load plenary_dates %}{% timezone event.timezone %}
    {{ event.starts_at|event_date }}  {{ event.starts_at|event_date:"long" }}
    {{ event.starts_at|event_datetime }}  {{ event.starts_at|event_time }}{% endtimezone %}

Use these wherever a month or weekday name appears: Django's `date` filter gets the grammatical
case and the word order wrong in Russian, Arabic and Chinese. The styles are events.dates's.
"""

from django import template

from events import dates

register = template.Library()


@register.filter
def event_date(value, style="full"):
    return dates.format_event_date(value, style)


@register.filter
def event_time(value):
    return dates.format_event_time(value)


@register.filter
def event_datetime(value, style="full"):
    return dates.format_event_datetime(value, style)


@register.simple_tag
def date_time_separator():
    """Between a date and a time in the active language: ', ', '، ' or ' '."""
    return dates.date_time_separator()
