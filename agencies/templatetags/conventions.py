"""Template filters of the one convention for units, numbers, periods and people (agencies.conventions).

``{% load conventions %}`` then ``{{ value|number:2 }}``, ``{{ change|signed_percent }}``,
``{{ unit|unit }}``, ``{{ unit|unit_per:"person" }}``, ``{{ target|reduction }}``,
``{{ change|change_phrase }}``, ``{{ reading.created_by|person }}``, ``{{ day|date_label }}``.
"""

from django import template

from agencies import conventions

register = template.Library()


@register.filter
def number(value, places=2):
    return conventions.number(value, int(places))


@register.filter
def signed_number(value, places=0):
    return conventions.signed_number(value, int(places))


@register.filter
def percent(value, places=2):
    return conventions.percent(value, int(places))


@register.filter
def signed_percent(value, places=2):
    return conventions.signed_percent(value, int(places))


@register.filter
def change_phrase(value, places=2):
    return conventions.change_phrase(value, int(places))


@register.filter
def reduction(value):
    return conventions.reduction_target(value)


@register.filter
def unit(value):
    return conventions.unit_label(value)


@register.filter
def unit_per(value, per):
    return conventions.unit_label(value, per=per)


@register.filter
def person(user):
    return conventions.person_name(user)


@register.filter
def date_label(day):
    return conventions.date_label(day)


@register.simple_tag
def months_label(first, last, year=None):
    return conventions.months_label(first, last, year)


@register.simple_tag
def quarter_label(year, number):
    return conventions.quarter_label(year, number)
