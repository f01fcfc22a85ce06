"""Template filters for event pages: safe Markdown and time zones named as people say them."""

import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import mark_safe

register = template.Library()

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "a", "ul", "ol", "li", "blockquote", "h2", "h3", "h4",
    "hr", "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "abbr",
}  # fmt: skip


@register.filter
def markdown(text):
    """Markdown rendered to HTML that keeps only harmless tags: organizers paste from anywhere."""
    html = markdown_lib.markdown(text or "", extensions=["extra", "sane_lists"])
    return mark_safe(  # noqa: S308 - nh3 has removed everything but ALLOWED_TAGS
        nh3.clean(html, tags=ALLOWED_TAGS, link_rel="noopener noreferrer nofollow")
    )


@register.filter
def zone_city(zone_name):
    """'America/New_York' → 'New York'; the city people use to name a zone."""
    return (zone_name or "").rsplit("/", 1)[-1].replace("_", " ")
