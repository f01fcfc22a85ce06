"""{% text_direction %}: 'rtl' or 'ltr' for the active language (see events.i18n)."""

from django import template

from events import i18n

register = template.Library()


@register.simple_tag
def text_direction():
    return i18n.text_direction()
