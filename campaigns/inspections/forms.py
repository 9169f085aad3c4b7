"""Forms of spot checks and repair requests; the rules are the services'."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from agencies.forms import StyledFormMixin
from ledger.uploads import upload_check
from waste.forms import DateInput

from .models import CheckItem, RepairRequest, SpotCheck


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class SpotCheckForm(StyledFormMixin, forms.ModelForm):
    findings = forms.MultipleChoiceField(
        label=_("findings"),
        choices=CheckItem.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Tick what you saw. A set temperature that breaks the rule and air conditioning running "
            "before 9:00 or in the last half hour are added from the readings."
        ),
    )
    photos = MultipleFileField(label=_("photos"), required=False)

    class Meta:
        model = SpotCheck
        fields = [
            "department",
            "date",
            "time",
            "inspector",
            "rooms",
            "ac_mode",
            "ac_setpoint",
            "findings",
            "notes",
            "rectify_by",
            "photos",
        ]
        widgets = {
            "date": DateInput(),
            "time": TimeInput(),
            "rectify_by": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = scope.departments()
        self.fields["photos"].widget.attrs["accept"] = "image/*"
        if self.instance.pk:
            self.initial["findings"] = list(self.instance.findings.values_list("item", flat=True))

    def clean_photos(self):
        photos = self.cleaned_data.get("photos") or []
        for photo in photos:
            if isinstance(photo, UploadedFile):
                upload_check(photo)
        return photos

    def _post_clean(self):
        pass


class CloseForm(StyledFormMixin, forms.Form):
    rectified_on = forms.DateField(label=_("rectified on"), widget=DateInput())
    rectification = forms.CharField(label=_("how it was rectified"), max_length=300)


class RepairForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = RepairRequest
        fields = [
            "kind",
            "location",
            "problem",
            "department",
            "reported_on",
            "reported_to",
            "fixed_on",
            "fix_note",
            "photo",
        ]
        widgets = {"reported_on": DateInput(), "fixed_on": DateInput()}

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = scope.departments()
        self.fields["department"].required = scope.department_ids is not None
        self.fields["photo"].widget.attrs["accept"] = "image/*"

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if isinstance(photo, UploadedFile):
            upload_check(photo)
        return photo

    def _post_clean(self):
        pass


class FixForm(StyledFormMixin, forms.Form):
    fixed_on = forms.DateField(label=_("fixed on"), widget=DateInput())
    fix_note = forms.CharField(label=_("how it was fixed"), max_length=200, required=False)
