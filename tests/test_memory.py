"""The cyclic garbage collector is paused for allocation bursts and left as it was found."""

import gc

import pytest
from django.urls import reverse

from linyi_ecoagency.memory import cyclic_gc_paused


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_paused_inside_and_left_as_it_was(enabled):
    (gc.enable if enabled else gc.disable)()
    try:
        with cyclic_gc_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(RuntimeError), cyclic_gc_paused():
            raise RuntimeError
        assert gc.isenabled() is enabled
    finally:
        gc.enable()


@pytest.mark.django_db
def test_the_city_overview_is_computed_with_the_collector_paused(login, city_user, monkeypatch):
    from reporting.views import dashboards

    seen = []
    real = dashboards.city_dashboard

    def watched(**kwargs):
        seen.append(gc.isenabled())
        return real(**kwargs)

    monkeypatch.setattr(dashboards, "city_dashboard", watched)
    assert login(city_user).get(reverse("reporting:city_dashboard")).status_code == 200
    assert seen == [False] and gc.isenabled()
