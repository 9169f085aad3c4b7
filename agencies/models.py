"""Agencies (机关), their departments (科室), yearly facts and who belongs where in which role."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    CLERK = "clerk", _("Clerk")  # 录入员
    MANAGER = "manager", _("Energy manager")  # 能源资源管理员
    LEADER = "leader", _("Leadership group")  # 领导小组
    CITY = "city", _("City verifier")  # 市级核查


class Agency(models.Model):
    """One party or government agency taking part in the programme (创建单位)."""

    code = models.SlugField(
        _("code"),
        max_length=32,
        unique=True,
        help_text=_("Short unique code used in URLs, imports and commands, e.g. LYYB."),
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    in_programme = models.BooleanField(
        _("takes part in the programme"),
        default=True,
        help_text=_(
            "Counted in the city overview (创建单位). Untick for an office that only verifies, "
            "such as the city's agency-affairs office."
        ),
    )

    # What its quarterly notice (公示) names: the basis, who takes objections, how long it is posted.
    plan_title = models.CharField(
        _("creation plan"),
        max_length=200,
        blank=True,
        help_text=_(
            "The title of the agency's creation plan, named as the basis of its notices, "
            "e.g. 某某局节约型机关创建工作实施方案."
        ),
    )
    plan_number = models.CharField(
        _("creation plan's document number"),
        max_length=60,
        blank=True,
        help_text=_("发文字号 of the creation plan, e.g. 临医保字〔2020〕30号."),
    )
    notice_contact = models.CharField(
        _("contact for objections"),
        max_length=60,
        blank=True,
        help_text=_("The person a notice names for objections during its posting period."),
    )
    notice_phone = models.CharField(_("telephone for objections"), max_length=40, blank=True)
    notice_days = models.PositiveSmallIntegerField(
        _("posting period (days)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("How many days a notice is posted (公示期), from its publication date."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Department(models.Model):
    """A section (科室) of an agency; a subordinate unit's sections sit under it as children."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="departments"
    )
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("For sections of a subordinate unit, e.g. the Medical Insurance Centre."),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["agency", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="department_unique_name_in_agency")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id and self.parent.agency_id != self.agency_id:
            raise ValidationError({"parent": _("The parent department must belong to the same agency.")})


class AgencyYear(models.Model):
    """The facts of one agency in one year that per-capita and per-area figures divide by."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="years"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000)], help_text=_("Calendar year, e.g. 2019.")
    )
    headcount = models.PositiveIntegerField(
        _("energy-using headcount"),
        validators=[MinValueValidator(1)],
        help_text=_(
            "用能人数: staff on the establishment plus long-term contract, seconded and support staff."
        ),
    )
    building_area = models.DecimalField(
        _("building area (m²)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    office_area = models.DecimalField(
        _("office area (m²)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agency year")
        verbose_name_plural = _("agency years")
        ordering = ["agency", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="agencyyear_one_per_year"),
            models.CheckConstraint(condition=Q(headcount__gt=0), name="agencyyear_headcount_positive"),
            models.CheckConstraint(
                condition=Q(building_area__gt=0), name="agencyyear_building_area_positive"
            ),
            models.CheckConstraint(condition=Q(office_area__gt=0), name="agencyyear_office_area_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}"

    def clean(self) -> None:
        if self.office_area and self.building_area and self.office_area > self.building_area:
            raise ValidationError({"office_area": _("The office area cannot exceed the building area.")})


class Membership(models.Model):
    """A user's place in an agency: its role and, for clerks, the department they enter data for."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="memberships"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        help_text=_("Required for clerks: they enter data for this department and its sub-sections."),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["agency", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "agency"], name="membership_one_per_agency"),
            models.CheckConstraint(
                condition=~Q(role="clerk") | Q(department__isnull=False),
                name="membership_clerk_has_department",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.agency} · {self.get_role_display()}"

    def clean(self) -> None:
        if self.role == Role.CLERK and not self.department_id:
            raise ValidationError({"department": _("A clerk must belong to a department.")})
        if self.department_id and self.department.agency_id != self.agency_id:
            raise ValidationError({"department": _("The department must belong to the same agency.")})
