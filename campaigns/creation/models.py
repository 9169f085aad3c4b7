"""The creation workflow (创建步骤: 申报 → 创建 → 自评 → 核查) and the organisation behind it (附件1).

The evaluation items and their points are data (``fixtures/creation_items.json``, loaded by a data
migration, changed in the admin): a scheme per period, items with points or pass/fail, and the
portal evidence each item can be checked against (``evidence.py``).
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agencies.models import Agency
from ledger.uploads import AttachmentField

APPLICATION_DEADLINE = (6, 30)  # 2020年6月底前完成创建方案的制定、申报 (seed 五、第一阶段)


def _bilingual(chinese: str, english: str) -> str:
    language = (get_language() or "zh-hans").lower()
    return english if language.startswith("en") and english else chinese


class EvidenceSource(models.TextChoices):
    """What the portal itself holds that an evaluation item can be checked against (evidence.py)."""

    ORGANISATION = "organisation", _("Leadership group and management office")
    PLAN = "plan", _("Implementation plan")
    METERS = "meters", _("Meter registry")
    DISCLOSURES = "disclosures", _("Quarterly disclosures")
    TARGETS = "targets", _("Targets")
    EVENTS = "events", _("Publicity and training events")
    CLEAN_PLATE = "clean_plate", _("Clean Plate campaign")
    WASTE = "waste", _("Waste-sorting ledger")
    SPOT_CHECKS = "spot_checks", _("Spot checks")
    PAPER = "paper", _("Office consumables ledger")
    VEHICLES = "vehicles", _("Vehicle fuel ledger")


class EvaluationScheme(models.Model):
    """A set of evaluation items in force from a year on (national items, provincial weights)."""

    scope_global = True  # the programme's items, every agency's: loaded from fixtures/, kept in the admin

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    source = models.TextField(_("source"), help_text=_("The documents the items and points follow."))
    from_year = models.PositiveSmallIntegerField(
        _("applies from year"), validators=[MinValueValidator(2000)], unique=True
    )
    pass_points = models.DecimalField(
        _("points to pass"),
        max_digits=5,
        decimal_places=1,
        help_text=_(
            "An agency meets the requirements with at least these points and every pass/fail item passed."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation scheme")
        verbose_name_plural = _("evaluation schemes")
        ordering = ["-from_year"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return _bilingual(self.name, self.name_en)

    @classmethod
    def for_year(cls, year: int) -> EvaluationScheme | None:
        """The scheme in force in ``year``. With no scheme at all — a database flushed after its
        migrations, as transactional tests do — the fixture's schemes are loaded first."""
        if not cls.objects.exists():
            from .fixtures import items_load

            items_load(scheme_model=cls, item_model=EvaluationItem)
        return cls.objects.filter(from_year__lte=year).order_by("-from_year").first()


class ItemCategory(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation")  # 组织管理
    RULES = "rules", _("Rules")  # 制度建设
    METERING = "metering", _("Metering")  # 计量
    STATISTICS = "statistics", _("Statistics and disclosure")  # 统计与公示
    GREEN_OFFICE = "green_office", _("Green office")  # 绿色办公
    FACILITIES = "facilities", _("Facilities and equipment")  # 设施设备运行
    WASTE = "waste", _("Waste sorting")  # 生活垃圾分类
    FOOD = "food", _("Food-waste prevention")  # 反食品浪费
    PUBLICITY = "publicity", _("Publicity and training")  # 宣传培训
    VEHICLES = "vehicles", _("Official vehicles")  # 公务用车
    TARGETS = "targets", _("Target achievement")  # 目标完成


class EvaluationItem(models.Model):
    """One item of the evaluation: scored out of its points, or pass/fail when it has none."""

    scope_global = True  # an item of a scheme, every agency's: loaded from fixtures/, kept in the admin

    scheme = models.ForeignKey(
        EvaluationScheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="items"
    )
    code = models.SlugField(_("code"), max_length=40)
    category = models.CharField(_("category"), max_length=16, choices=ItemCategory.choices)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    requirement = models.TextField(_("requirement"))
    requirement_en = models.TextField(_("requirement (English)"), blank=True)
    points = models.DecimalField(
        _("points"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5"))],
        help_text=_("Empty: a pass/fail item (target achievement)."),
    )
    evidence = models.CharField(
        _("portal evidence"), max_length=16, choices=EvidenceSource.choices, blank=True
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation item")
        verbose_name_plural = _("evaluation items")
        ordering = ["scheme", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="evaluationitem_code_in_scheme"),
            models.CheckConstraint(
                condition=Q(points__isnull=True) | Q(points__gt=0), name="evaluationitem_points_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return _bilingual(self.title, self.title_en)

    @property
    def requirement_text(self) -> str:
        return _bilingual(self.requirement, self.requirement_en)

    @property
    def is_pass_fail(self) -> bool:
        return self.points is None


class Stage(models.TextChoices):
    """Where a creation stands. Only the first two are stored: a creation is verified when the
    city's verification exists (the city writes that row and no other)."""

    NONE = "none", _("Not applied")  # 未申报 (the city's view of an agency without a creation)
    APPLIED = "applied", _("Applied")  # 已申报
    ASSESSED = "assessed", _("Self-assessed")  # 已自评
    VERIFIED = "verified", _("Verified")  # 已核查


STORED_STAGES = [(Stage.APPLIED.value, Stage.APPLIED.label), (Stage.ASSESSED.value, Stage.ASSESSED.label)]


def _plan_path(instance, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"campaigns/creation/{uuid.uuid4().hex}.{ext[:8]}"


class Creation(models.Model):
    """One agency's creation in one year: its application (申报), self-assessment (自评) and
    verification (核查)."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="creations"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    scheme = models.ForeignKey(
        EvaluationScheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="creations"
    )
    plan_title = models.CharField(
        _("implementation plan"),
        max_length=200,
        help_text=_("e.g. 关于深入开展创建节约型机关实施方案 (临医保字〔2020〕30号)."),
    )
    plan_document = AttachmentField(_("plan document"), upload_to=_plan_path, blank=True)
    applied_on = models.DateField(_("applied on"))
    stage = models.CharField(_("stage"), max_length=12, choices=STORED_STAGES, default=Stage.APPLIED)
    assessed_on = models.DateField(_("self-assessed on"), null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("self-assessed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
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

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("creation")
        verbose_name_plural = _("creations")
        ordering = ["agency", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="creation_one_per_year"),
            models.CheckConstraint(
                condition=Q(stage__in=["applied", "assessed"]), name="creation_stored_stage"
            ),
            models.CheckConstraint(
                condition=~Q(stage="applied") | Q(assessed_on__isnull=True),
                name="creation_applied_not_assessed",
            ),
            models.CheckConstraint(
                condition=Q(stage="applied") | Q(assessed_on__isnull=False),
                name="creation_assessed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}"

    @cached_property
    def verification(self) -> Verification | None:
        """The city's verification, if any (``prefetch_related("verifications")`` saves the query)."""
        return next(iter(self.verifications.all()), None)

    @property
    def state(self) -> str:
        """The stage including the city's step: verified once the verification exists."""
        return Stage.VERIFIED if self.verification is not None else self.stage

    def get_state_display(self) -> str:
        return Stage(self.state).label

    @property
    def deadline(self) -> date:
        return date(self.year, *APPLICATION_DEADLINE)

    @property
    def applied_late(self) -> bool:
        return self.applied_on > self.deadline


class ItemScore(models.Model):
    """The agency's self-assessment of one item: its points (or pass/fail) and its evidence."""

    creation = models.ForeignKey(
        Creation, verbose_name=_("creation"), on_delete=models.CASCADE, related_name="scores"
    )
    item = models.ForeignKey(
        EvaluationItem,
        verbose_name=pgettext_lazy("evaluation", "item"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), max_length=2000, blank=True)
    portal_evidence = models.JSONField(
        _("portal evidence"),
        default=dict,
        blank=True,
        help_text=_("What the portal held for this item when the score was saved (summary and links)."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scored by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    updated_at = models.DateTimeField(_("scored at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("self-assessment score")
        verbose_name_plural = _("self-assessment scores")
        ordering = ["creation", "item__order"]
        constraints = [
            models.UniqueConstraint(fields=["creation", "item"], name="itemscore_once_per_item"),
            models.CheckConstraint(
                condition=Q(points__isnull=True) | Q(points__gte=0), name="itemscore_points_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.creation} · {self.item}"


class Result(models.TextChoices):
    MEETS = "meets", _("Meets the requirements")  # 达到创建要求
    FAILS = "fails", _("Does not meet the requirements")  # 未达到创建要求


class Verification(models.Model):
    """The city office's verification (核查) of a self-assessment: the one thing the city role writes."""

    creation = models.ForeignKey(
        Creation, verbose_name=_("creation"), on_delete=models.CASCADE, related_name="verifications"
    )
    result = models.CharField(_("result"), max_length=8, choices=Result.choices)
    comment = models.TextField(_("comment"), max_length=4000, blank=True)
    verified_on = models.DateField(_("verified on"))
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")
        ordering = ["-verified_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["creation"], name="verification_one_per_creation")]

    def __str__(self) -> str:
        return f"{self.creation} · {self.get_result_display()}"


class Verdict(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")  # 属实
    ADJUSTED = "adjusted", _("Adjusted")  # 核减/调整


class ItemVerdict(models.Model):
    """The verifier's verdict on one item: confirmed as self-assessed, or adjusted, with a comment."""

    verification = models.ForeignKey(
        Verification, verbose_name=_("verification"), on_delete=models.CASCADE, related_name="verdicts"
    )
    item = models.ForeignKey(
        EvaluationItem,
        verbose_name=pgettext_lazy("evaluation", "item"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    points = models.DecimalField(_("verified points"), max_digits=5, decimal_places=1, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    comment = models.TextField(_("comment"), max_length=2000, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("item verdict")
        verbose_name_plural = _("item verdicts")
        ordering = ["verification", "item__order"]
        constraints = [
            models.UniqueConstraint(fields=["verification", "item"], name="itemverdict_once_per_item"),
            models.CheckConstraint(
                condition=Q(points__isnull=True) | Q(points__gte=0), name="itemverdict_points_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.verification} · {self.item}"


# --- the organisation (附件1) ------------------------------------------------------------------


class Body(models.TextChoices):
    GROUP = "group", _("Leadership group")  # 节约型机关创建工作领导小组
    OFFICE = "office", _("Energy and resource management office")  # 能源资源管理办公室


class Position(models.TextChoices):
    LEADER = "leader", _("Group leader")  # 组长
    DEPUTY = "deputy", _("Deputy leader")  # 副组长
    HEAD = "head", _("Office head")  # 主任
    MEMBER = "member", _("Member")  # 成员


POSITIONS_OF = {
    Body.GROUP: (Position.LEADER, Position.DEPUTY, Position.MEMBER),
    Body.OFFICE: (Position.HEAD, Position.MEMBER),
}


class OrganisationMember(models.Model):
    """A member of the leadership group or of the management office in one year, with their post."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="organisation_members"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    body = models.CharField(_("body"), max_length=8, choices=Body.choices)
    position = models.CharField(_("position"), max_length=8, choices=Position.choices)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=40)
    post = models.CharField(
        _("post"), max_length=120, blank=True, help_text=_("e.g. 市医疗保障局办公室主任.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation member")
        verbose_name_plural = _("organisation members")
        ordering = ["agency", "year", "body", "order", "pk"]
        indexes = [models.Index(fields=["agency", "year"], name="orgmember_agency_year")]
        constraints = [
            models.CheckConstraint(
                condition=Q(body="group", position__in=["leader", "deputy", "member"])
                | Q(body="office", position__in=["head", "member"]),
                name="orgmember_position_of_body",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_body_display()} · {self.get_position_display()} · {self.name}"


class ManagementOffice(models.Model):
    """The energy and resource management office's duties in one year (能源资源管理办公室职责)."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="management_offices"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    duties = models.TextField(_("duties"), max_length=4000)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("management office")
        verbose_name_plural = _("management offices")
        ordering = ["agency", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="managementoffice_one_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}"
