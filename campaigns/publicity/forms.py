"""Forms of publicity events; the rules are the services'."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from agencies.forms import StyledFormMixin
from ledger.uploads import upload_check
from waste.forms import DateInput

from .models import Channel, Event


class EventForm(StyledFormMixin, forms.ModelForm):
    channels = forms.MultipleChoiceField(
        label=_("channels"), choices=Channel.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Event
        fields = ["kind", "date", "end_date", "title", "channels", "participants", "department", "summary"]
        widgets = {"date": DateInput(), "end_date": DateInput(), "summary": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = scope.departments()
        self.fields["department"].required = scope.department_ids is not None
        self.fields["participants"].widget.attrs.update(min="0", max="100000")

    def _post_clean(self):
        pass


class EventFileForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("photo or PDF"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = "image/*,application/pdf"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if isinstance(upload, UploadedFile):
            upload_check(upload)
        return upload


class YearForm(forms.Form):
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)

    def year_or(self, default: int) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return default
