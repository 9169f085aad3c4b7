"""Office consumables: the catalogue, purchases (经费审批 → 采购), requisitions (按需领用), paper
registration (用纸登记) and the running-costs ledger (telephone, meeting, reception)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from agencies.models import Agency, Department
from ledger.uploads import AttachmentField


class Category(models.TextChoices):
    PAPER = "paper", _("Paper")
    TONER = "toner", _("Toner and ink")
    PENS = "pens", _("Pens")
    DISPOSABLE = "disposable", _("Disposable cups and tableware")
    CLEANING = "cleaning", _("Cleaning supplies")
    OTHER = "other", _("Other")


class ExpenseKind(models.TextChoices):
    TELEPHONE = "telephone", _("Telephone")  # 电话费
    MEETING = "meeting", _("Meeting")  # 会议费
    RECEPTION = "reception", _("Reception")  # 公务接待费


class RowSource(models.TextChoices):
    FORM = "form", _("Form")
    IMPORT = "import", _("Excel import")
    DEMO = "demo", _("Demo data")


def consumables_voucher_path(instance, filename: str) -> str:
    from ledger.models import voucher_path

    return voucher_path(instance, filename)


class Item(models.Model):
    """A catalogue entry (办公用品目录): what the office buys, stocks and issues."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="consumable_items"
    )
    code = models.CharField(
        pgettext_lazy("consumables", "code"),
        max_length=40,
        help_text=_("The item's code, unique in the agency."),
    )
    name = models.CharField(_("name"), max_length=120)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    unit = models.CharField(_("unit"), max_length=8, help_text=_("包, 箱, 支, 个, 盒 …"))
    is_green = models.BooleanField(
        _("green product"),
        default=False,
        help_text=_(
            "Certified energy-saving, water-saving, environmental or recycled (节能、节水、环保、再生)."
        ),
    )
    is_disposable = models.BooleanField(
        _("disposable"), default=False, help_text=_("一次性: paper cups, disposable pens, plastic bags …")
    )
    reorder_level = models.DecimalField(
        _("reorder level"),
        max_digits=12,
        decimal_places=2,
        default=Decimal(0),
        help_text=_("The stock page highlights the item when its stock falls below this."),
    )
    stock = models.DecimalField(
        _("stock on hand"),
        max_digits=12,
        decimal_places=2,
        default=Decimal(0),
        editable=False,
        help_text=_("Purchased minus issued; kept by the services under a row lock, never negative."),
    )
    stock_value = models.DecimalField(
        _("stock value (yuan)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
        editable=False,
        help_text=_("What the stock on hand cost (moving weighted average, 移动加权平均)."),
    )
    is_active = models.BooleanField(pgettext_lazy("consumables", "in use"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consumable item")
        verbose_name_plural = _("consumable items")
        ordering = ["agency", "category", "code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="consumable_item_unique_code"),
            models.CheckConstraint(condition=Q(stock__gte=0), name="consumable_item_stock_not_negative"),
            models.CheckConstraint(
                condition=Q(stock_value__gte=0), name="consumable_item_value_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(reorder_level__gte=0), name="consumable_item_reorder_level_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def below_reorder_level(self) -> bool:
        return self.stock < self.reorder_level


class _Entered(models.Model):
    source = models.CharField(
        pgettext_lazy("consumables", "source"),
        max_length=8,
        choices=RowSource.choices,
        default=RowSource.FORM,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        abstract = True


class Purchase(_Entered):
    """A purchase (采购) after its spending was approved (经费审批): adds to the item's stock."""

    item = models.ForeignKey(
        Item,
        verbose_name=pgettext_lazy("consumables", "item"),
        on_delete=models.PROTECT,
        related_name="purchases",
    )
    approved_on = models.DateField(
        _("approved on"), help_text=_("经费审批: the date the spending was approved.")
    )
    approver = models.CharField(_("approved by"), max_length=60)
    date = models.DateField(_("purchase date"))
    quantity = models.DecimalField(pgettext_lazy("consumables", "quantity"), max_digits=12, decimal_places=2)
    unit_price = models.DecimalField(_("unit price (yuan)"), max_digits=12, decimal_places=4)
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=14,
        decimal_places=2,
        help_text=_("Quantity × unit price, as invoiced."),
    )
    supplier = models.CharField(_("supplier"), max_length=120)
    invoice_number = models.CharField(_("invoice number"), max_length=60, blank=True)
    voucher = AttachmentField(_("voucher (photo or PDF)"), upload_to=consumables_voucher_path, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("purchase")
        verbose_name_plural = _("purchases")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="purchase_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="purchase_unit_price_not_negative"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="purchase_amount_not_negative"),
            models.CheckConstraint(condition=Q(approved_on__lte=F("date")), name="purchase_approved_first"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.item.name} × {self.quantity}"


class Requisition(_Entered):
    """An issue on demand (按需领用) to a section: takes from the item's stock."""

    # It points at two agency-owned rows; it belongs to the agency and section of the section.
    scope_path = ("department__agency", "department")

    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="requisitions"
    )
    item = models.ForeignKey(
        Item,
        verbose_name=pgettext_lazy("consumables", "item"),
        on_delete=models.PROTECT,
        related_name="requisitions",
    )
    date = models.DateField(_("date"))
    quantity = models.DecimalField(pgettext_lazy("consumables", "quantity"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(
        _("cost (yuan)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
        editable=False,
        help_text=_("What the issued quantity cost, at the stock's moving average price when issued."),
    )
    requested_by = models.CharField(
        _("requested by"), max_length=60, help_text=_("领用人: who collected it.")
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("requisition")
        verbose_name_plural = _("requisitions")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="requisition_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.department.name} {self.item.name} × {self.quantity}"


class PaperUse(_Entered):
    """Paper registration (用纸登记): sheets a section printed or copied, of which on both sides."""

    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="paper_uses"
    )
    date = models.DateField(_("date"))
    sheets = models.PositiveIntegerField(_("sheets"), help_text=_("张: sheets of paper used."))
    duplex_sheets = models.PositiveIntegerField(
        _("of which duplex"), default=0, help_text=_("Sheets printed on both sides (双面打印).")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("paper registration")
        verbose_name_plural = _("paper registrations")
        ordering = ["-date", "department"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duplex_sheets__lte=F("sheets")), name="paper_duplex_within_sheets"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.department.name} {self.sheets}"


class Expense(_Entered):
    """A running cost the seed asks to keep to standard and publish: telephone, meeting, reception."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="expenses"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expenses",
        help_text=_("The section that incurred it; required for telephone costs (每月公布科室电话费)."),
    )
    date = models.DateField(_("date"))
    kind = models.CharField(pgettext_lazy("consumables", "kind"), max_length=12, choices=ExpenseKind.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    voucher_number = models.CharField(_("voucher number"), max_length=60, blank=True)
    voucher = AttachmentField(_("voucher (photo or PDF)"), upload_to=consumables_voucher_path, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["-date", "kind"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="expense_amount_not_negative"),
            models.CheckConstraint(
                condition=~Q(kind="telephone") | Q(department__isnull=False),
                name="expense_telephone_has_department",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.amount}"
