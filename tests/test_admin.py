"""The Django admin registers every model of the product, and every model speaks Chinese."""

import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.utils import translation

PRODUCT_APPS = ["agencies", "reporting", "imports", "ledger", "vehicles", "waste", "campaigns"]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _models():
    for label in PRODUCT_APPS:
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical"):
                continue  # django-simple-history's shadow tables: shown on each object's history page
            yield model


MODELS = list(_models())


def test_there_are_models_to_check():
    assert len(MODELS) >= 6


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_every_model_is_registered_in_the_admin(model):
    assert admin.site.is_registered(model), f"register {model._meta.label} in its app's admin.py"


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_every_model_and_field_has_a_chinese_verbose_name(model):
    with translation.override("zh-hans"):
        names = {"(model)": str(model._meta.verbose_name), "(plural)": str(model._meta.verbose_name_plural)}
        for field in model._meta.get_fields():
            if field.concrete and not field.auto_created:
                names[field.name] = str(field.verbose_name)
    english = {key: value for key, value in names.items() if not CJK.search(value)}
    assert not english, f"{model._meta.label}: no Chinese for {english}"


@pytest.mark.django_db
def test_the_admin_index_opens_for_a_superuser_in_chinese(admin_client):
    page = admin_client.get("/admin/").content.decode()
    assert "单位" in page and "管理后台" in page
