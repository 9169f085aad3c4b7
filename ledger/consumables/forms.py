"""Forms of office consumables: choices narrowed to the caller's scope; the rules live in services."""

from __future__ import annotations

from django import forms
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _

from agencies.forms import StyledFormMixin
from ledger.forms import DateInput, VoucherMixin

from .models import Expense, Item, PaperUse, Purchase, Requisition
from .services import ITEM_FIELDS


class ItemForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Item
        fields = list(ITEM_FIELDS)

    def _post_clean(self):
        # Fill the instance; the rules and the code's uniqueness are services.item_save's.
        self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)


class _ScopedForm(StyledFormMixin, forms.ModelForm):
    """Items of the agency's catalogue, sections the user may write for; rules left to the services."""

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        if "item" in self.fields:
            self.fields["item"].queryset = Item.objects.filter(agency=scope.agency, is_active=True)
        if "department" in self.fields:
            self.fields["department"].queryset = scope.departments().filter(is_active=True)
            # Only a manager may leave the section empty (an agency-wide row).
            self.fields["department"].required |= not scope.department_allowed(None)
        if "voucher" in self.fields:
            self.fields["voucher"].widget.attrs["accept"] = "image/*,application/pdf"
        for name in ("date", "approved_on"):
            if name in self.fields:
                self.fields[name].widget = DateInput(attrs={"class": "form-control"})

    def _post_clean(self):
        pass  # the rules are the services'


class PurchaseForm(VoucherMixin, _ScopedForm):
    class Meta:
        model = Purchase
        fields = [
            "item",
            "approved_on",
            "approver",
            "date",
            "quantity",
            "unit_price",
            "amount",
            "supplier",
            "invoice_number",
            "voucher",
            "note",
        ]


class RequisitionForm(_ScopedForm):
    class Meta:
        model = Requisition
        fields = ["department", "item", "date", "quantity", "requested_by", "note"]


class PaperForm(_ScopedForm):
    class Meta:
        model = PaperUse
        fields = ["department", "date", "sheets", "duplex_sheets", "note"]


class ExpenseForm(VoucherMixin, _ScopedForm):
    class Meta:
        model = Expense
        fields = ["kind", "department", "date", "amount", "voucher_number", "voucher", "note"]


class MonthForm(StyledFormMixin, forms.Form):
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )


class YearForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    through = forms.IntegerField(label=_("Through month"), min_value=1, max_value=12, required=False)
