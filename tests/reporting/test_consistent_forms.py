"""One way of writing a figure and a person on the reporting pages (#12.4, docs/conventions.md):
the one minus sign, signs on changes, people by name."""

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from reporting.disclosures.services import disclosure_compute, disclosure_publish
from reporting.periods import Quarter
from tests.factories import scope_of
from tests.reporting.helpers import ELECTRICITY_2020, write_year


def test_the_dashboard_filters_write_the_one_minus_sign_and_always_the_sign_of_a_change():
    template = Template(
        "{% load dashboard_tags %}{{ v|amount }}|{{ v|signed_amount }}|{{ p|signed_percent }}|"
        "{{ q|signed_percent:2 }}|{{ n|amount }}|{{ n|signed_percent }}"
    )
    with translation.override("zh-hans"):
        out = template.render(Context({"v": -1450, "p": "-3.64", "q": "0.71", "n": None}))
    assert out == "−1,450|−1,450|−3.6%|+0.71%|—|—"
    assert "-" not in out


@pytest.mark.django_db
def test_who_published_a_disclosure_is_shown_by_name_not_user_name(
    agency, manager, indicators_registered, login
):
    manager.first_name, manager.last_name = "鑫", "李"
    manager.save()
    write_year(agency, "electricity", 2020, ELECTRICITY_2020)
    draft = disclosure_compute(agency=agency, quarter=Quarter(2020, 4))
    disclosure_publish(scope=scope_of(manager), disclosure=draft)
    page = login(manager).get(reverse("reporting:disclosure_detail", args=[draft.pk])).content.decode()
    assert " · 李鑫" in page and "鑫 李" not in page
