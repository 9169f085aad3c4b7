"""A waste category shown anywhere: its name on its GB/T 19095 colour, from the shared palette."""

from django import template
from django.utils.html import format_html

from waste.categories import WasteCategory, category_colour

register = template.Library()


@register.simple_tag
def waste_badge(category: str):
    """``{% waste_badge row.category %}`` → the category's name on its colour (painted by waste.js;
    the colour is in ``data-colour`` because the Content-Security-Policy forbids inline styles)."""
    try:
        label = WasteCategory(category).label
    except ValueError:
        return "—"
    return format_html(
        '<span class="badge waste-badge" data-waste="{}" data-colour="{}">{}</span>',
        category,
        category_colour(category),
        label,
    )


@register.simple_tag
def waste_swatch(category: str):
    """A small square of the category's colour (legends, table rows)."""
    return format_html(
        '<span class="waste-swatch" data-waste="{}" data-colour="{}" aria-hidden="true"></span>',
        category,
        category_colour(category),
    )
