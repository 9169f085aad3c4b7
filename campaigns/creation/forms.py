"""Forms of the creation workflow; the rules are the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.forms import StyledFormMixin
from waste.forms import DateInput

from .models import Body, OrganisationMember, Position, Result, Verdict


class ApplicationForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    plan_title = forms.CharField(
        label=_("implementation plan"),
        max_length=200,
        help_text=_("e.g. 关于深入开展创建节约型机关实施方案 (临医保字〔2020〕30号)."),
    )
    applied_on = forms.DateField(label=_("applied on"), widget=DateInput())
    plan_document = forms.FileField(
        label=_("plan document"), required=False, help_text=_("The plan as a PDF (or a scan as an image).")
    )


PASS_CHOICES = [("", "—"), ("yes", _("Passed")), ("no", _("Not passed"))]


class ScoreForm(StyledFormMixin, forms.Form):
    """One item of the self-assessment (prefix: the item's code)."""

    points = forms.DecimalField(
        label=_("points"), required=False, min_value=0, max_digits=5, decimal_places=1
    )
    passed = forms.ChoiceField(label=_("passed"), required=False, choices=PASS_CHOICES)
    evidence = forms.CharField(
        label=_("evidence"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        if item.is_pass_fail:
            del self.fields["points"]
        else:
            del self.fields["passed"]
            self.fields["points"].max_value = item.points
            self.fields["points"].widget.attrs.update(max=str(item.points), step="0.5")

    @property
    def passed_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("passed") or "")


class MemberForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = OrganisationMember
        fields = ["year", "body", "position", "name", "post", "order"]

    def clean(self):
        data = super().clean()
        body, position = data.get("body"), data.get("position")
        if body == Body.OFFICE and position in (Position.LEADER, Position.DEPUTY):
            self.add_error("position", _("The office has a head and members."))
        if body == Body.GROUP and position == Position.HEAD:
            self.add_error("position", _("The group has a leader, deputies and members."))
        return data


class OfficeForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    duties = forms.CharField(label=_("duties"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}))


class VerdictForm(StyledFormMixin, forms.Form):
    """The verifier's verdict on one item (prefix: the item's code)."""

    verdict = forms.ChoiceField(label=_("verdict"), choices=Verdict.choices, initial=Verdict.CONFIRMED)
    points = forms.DecimalField(
        label=_("verified points"), required=False, min_value=0, max_digits=5, decimal_places=1
    )
    passed = forms.ChoiceField(label=_("passed"), required=False, choices=PASS_CHOICES)
    comment = forms.CharField(
        label=_("comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        if item.is_pass_fail:
            del self.fields["points"]
        else:
            del self.fields["passed"]
            self.fields["points"].widget.attrs.update(max=str(item.points), step="0.5")

    @property
    def passed_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("passed") or "")


class VerificationForm(StyledFormMixin, forms.Form):
    result = forms.ChoiceField(label=_("result"), choices=Result.choices)
    comment = forms.CharField(
        label=_("comment"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
