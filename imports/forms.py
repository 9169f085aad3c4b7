"""The upload form: which kind, which file, and whether to only check it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.forms import StyledFormMixin

from .reader import ImportFileError, check_size
from .registry import import_kinds


def kind_choices():
    return sorted(((key, kind.label) for key, kind in import_kinds().items()), key=lambda c: str(c[1]))


class ImportUploadForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What the file contains"), choices=kind_choices)

    def __init__(self, *args, kinds=None, **kwargs):
        # set before the fields are bound: a mixin may validate as early as __init__
        self.allowed_kinds = None if kinds is None else {kind.key for kind in kinds}
        super().__init__(*args, **kwargs)
        if kinds is not None:  # only the kinds the user's role may import
            self.fields["kind"].choices = [(kind.key, kind.label) for kind in kinds]

    def clean_kind(self):
        kind = self.cleaned_data["kind"]
        if self.allowed_kinds is not None and kind not in self.allowed_kinds:
            raise forms.ValidationError(_("Your role may not import this kind of ledger."))
        return kind

    file = forms.FileField(
        label=_("Ledger file"),
        help_text=_("Excel (.xlsx, .xls) or CSV (UTF-8 or GBK). Title rows above the header are fine."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv"}),
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file (dry run)"),
        required=False,
        help_text=_("Every row is checked and the preview shown, but nothing is written."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size)
        except ImportFileError as error:
            raise forms.ValidationError(error.message) from None
        return upload
