"""The consumables rules from primitives only (no queries): shared by the forms, the services and the
Excel import, and tested with Hypothesis properties."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

# An invoice's amount may differ from quantity × unit price by rounding to the fen (分) only:
# |amount − quantity × unit price| ≤ 0.01 yuan is accepted, anything more is refused.
AMOUNT_TOLERANCE = Decimal("0.01")
FEN = Decimal("0.01")
TELEPHONE = "telephone"


def number(value: Decimal) -> str:
    """A quantity as a clerk writes it: 12, 12.5 — no trailing zeros, no exponent."""
    return f"{Decimal(value).normalize():f}"


def amount_expected(quantity: Decimal, unit_price: Decimal) -> Decimal:
    return quantity * unit_price


def amount_matches(*, quantity: Decimal, unit_price: Decimal, amount: Decimal) -> bool:
    return abs(amount - amount_expected(quantity, unit_price)) <= AMOUNT_TOLERANCE


def _date_errors(errors: dict, day: date, today: date, field: str = "date") -> None:
    if day > today:
        errors[field] = _("The date cannot be in the future.")


def purchase_check(
    *, quantity: Decimal, unit_price: Decimal, amount: Decimal, approved_on: date, day: date, today: date
) -> dict[str, str]:
    """经费审批 then 采购: approved on or before the purchase; amount = quantity × unit price (± 0.01)."""
    errors: dict[str, str] = {}
    _date_errors(errors, day, today)
    if approved_on > day:
        errors["approved_on"] = _(
            "The spending must be approved before the purchase (approved %(approved)s)."
        ) % {"approved": approved_on.isoformat()}
    if quantity <= 0:
        errors["quantity"] = _("The quantity must be greater than 0.")
    if unit_price < 0:
        errors["unit_price"] = _("The unit price cannot be negative.")
    if amount < 0:
        errors["amount"] = _("The amount cannot be negative.")
    if not errors and not amount_matches(quantity=quantity, unit_price=unit_price, amount=amount):
        errors["amount"] = _(
            "The amount %(amount)s yuan does not match quantity × unit price = %(expected)s yuan "
            "(a difference of at most 0.01 yuan is accepted)."
        ) % {
            "amount": f"{amount:.2f}",
            "expected": f"{amount_expected(quantity, unit_price).quantize(Decimal('0.0001')).normalize():f}",
        }
    return errors


def requisition_check(
    *, quantity: Decimal, on_hand: Decimal, unit: str, day: date, today: date
) -> dict[str, str]:
    """按需领用: a positive quantity no larger than the stock on hand (stock never goes negative)."""
    errors: dict[str, str] = {}
    _date_errors(errors, day, today)
    if quantity <= 0:
        errors["quantity"] = _("The quantity must be greater than 0.")
    elif quantity > on_hand:
        errors["quantity"] = _(
            "Only %(stock)s %(unit)s in stock; %(quantity)s %(unit)s cannot be issued."
        ) % {"stock": number(on_hand), "unit": unit, "quantity": number(quantity)}
    return errors


def paper_check(*, sheets: int, duplex_sheets: int, day: date, today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    _date_errors(errors, day, today)
    if sheets < 0:
        errors["sheets"] = _("The number of sheets cannot be negative.")
    if duplex_sheets < 0:
        errors["duplex_sheets"] = _("The number of duplex sheets cannot be negative.")
    elif duplex_sheets > sheets:
        errors["duplex_sheets"] = _(
            "Duplex sheets (%(duplex)s) cannot exceed the sheets used (%(sheets)s)."
        ) % {
            "duplex": duplex_sheets,
            "sheets": sheets,
        }
    return errors


def expense_check(
    *, kind: str, has_department: bool, amount: Decimal, day: date, today: date
) -> dict[str, str]:
    errors: dict[str, str] = {}
    _date_errors(errors, day, today)
    if amount < 0:
        errors["amount"] = _("The amount cannot be negative.")
    if kind == TELEPHONE and not has_department:
        errors["department"] = _("Telephone costs are published per section: choose the section.")
    return errors


def share_percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """part ÷ whole × 100 to 0.01, or None when there is no whole (no paper, no purchases)."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole) * 100).quantize(FEN)


def issue_cost(*, quantity: Decimal, stock: Decimal, stock_value: Decimal) -> Decimal:
    """What issuing ``quantity`` of ``stock`` worth ``stock_value`` costs (moving weighted average).

    Rounded to the fen; issuing the whole stock takes its whole value, so no fen is left behind
    and the issued costs of an item always add up to what was paid for it.
    """
    if quantity >= stock:
        return stock_value
    return (stock_value * quantity / stock).quantize(FEN)
