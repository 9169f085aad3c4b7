"""The creation workflow: the items as data, the application, the self-assessment with the
portal's evidence, and the organisation (附件1)."""

import json
from datetime import date, time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from campaigns.creation import services
from campaigns.creation.evidence import EVIDENCE, evidence_for, months_due
from campaigns.creation.fixtures import ITEMS_FILE
from campaigns.creation.rules import Mark, Tally, application_errors, mark_errors, tally
from campaigns.models import (
    Creation,
    EvaluationItem,
    EvaluationScheme,
    EvidenceSource,
    ItemScore,
    OrganisationMember,
    Stage,
)
from tests.campaigns.factories import (
    CreationFactory,
    EventFactory,
    ManagementOfficeFactory,
    OrganisationMemberFactory,
    SpotCheckFactory,
    SpotCheckFindingFactory,
    scored_creation,
)
from tests.campaigns.url_samples import pdf_upload

D = Decimal
TODAY = date(2021, 3, 1)

pytestmark = pytest.mark.django_db


# --- the items are data ------------------------------------------------------------------------


def test_the_data_migration_loaded_every_item_of_the_fixture_with_its_points():
    data = json.loads(ITEMS_FILE.read_text(encoding="utf-8"))
    for row in data["schemes"]:
        scheme = EvaluationScheme.objects.get(code=row["code"])
        assert scheme.pass_points == D(row["pass_points"])
        stored = {i.code: (i.points, i.evidence, i.title) for i in scheme.items.all()}
        expected = {
            i["code"]: (None if i["points"] is None else D(i["points"]), i["evidence"], i["title"])
            for i in row["items"]
        }
        assert stored == expected


def test_the_2020_scheme_scores_100_points_and_keeps_the_targets_pass_fail():
    scheme = EvaluationScheme.for_year(2020)
    items = list(scheme.items.all())
    assert sum(i.points for i in items if i.points) == D(100)
    assert [i.code for i in items if i.is_pass_fail] == ["targets"]
    assert EvaluationScheme.for_year(2019) is None
    assert EvaluationScheme.for_year(2025) == scheme


def test_every_evidence_source_named_by_an_item_exists():
    named = set(EvaluationItem.objects.exclude(evidence="").values_list("evidence", flat=True))
    assert named <= set(EVIDENCE)
    assert set(EVIDENCE) == set(EvidenceSource.values)


# --- rules -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("points", "ok"),
    [
        (D("0"), True),
        (D("10"), True),
        (D("10.5"), False),
        (D("-0.5"), False),
        (D("9.5"), True),
        (D("9.25"), False),
    ],
)
def test_a_score_lies_between_0_and_the_items_points_in_half_points(points, ok):
    assert (mark_errors(Mark(D(10), points)) == []) is ok


def test_a_pass_fail_item_takes_no_points_and_a_scored_item_no_pass():
    assert mark_errors(Mark(None, D(1)))
    assert mark_errors(Mark(D(10), None, True))
    assert mark_errors(Mark(None, None, False)) == []


def test_the_tally_meets_at_80_points_with_every_item_marked_and_the_targets_passed():
    def marks(points, passed=True):
        return [Mark(None, None, passed), Mark(D(50), D(50)), Mark(D(50), points)]

    assert tally(marks(D(30)), pass_points=D(80)).meets
    assert not tally(marks(D("29.5")), pass_points=D(80)).meets
    assert not tally(marks(D(50), passed=False), pass_points=D(80)).meets
    assert not tally(marks(None), pass_points=D(80)).meets
    assert tally(marks(None), pass_points=D(80)).decided == 2


def test_an_application_is_dated_in_its_year_or_the_one_before_and_never_in_the_future():
    assert application_errors(year=2020, applied_on=date(2020, 6, 30), today=TODAY) == {}
    assert application_errors(year=2020, applied_on=date(2019, 12, 1), today=TODAY) == {}
    assert "applied_on" in application_errors(year=2020, applied_on=date(2018, 12, 31), today=TODAY)
    assert "applied_on" in application_errors(year=2021, applied_on=date(2021, 3, 2), today=TODAY)


def test_the_rules_of_marks_and_applications_say_what_is_wrong_in_chinese():
    # (mutation testing: every message and every count of the tally; docs/testing.md)
    assert mark_errors(Mark(None, D(1))) == ["该项目为否决项，不计分。"]
    assert mark_errors(Mark(None, None, True)) == []
    assert mark_errors(Mark(D(10), None, True)) == ["该项目按分值评分，不是否决项。"]
    assert mark_errors(Mark(D("7.5"), D(8), False)) == ["该项目按分值评分，不是否决项。", "请给出0至7.5分。"]
    assert mark_errors(Mark(D(10), D("-0.5"))) == ["请给出0至10分。"]
    assert mark_errors(Mark(D(10), D("0.25"))) == ["分值以0.5分为单位。"]
    assert (Mark(None).decided, Mark(None, passed=False).decided) == (False, True)
    assert (Mark(D(5)).decided, Mark(D(5), D(0)).decided) == (False, True)
    marks = [Mark(None, None, False), Mark(None, None, True), Mark(None), Mark(D(50), D(40)), Mark(D(30))]
    assert tally(iter(marks), pass_points=D(80)) == Tally(
        points=D(40), possible=D(80), pass_points=D(80), decided=3, items=5, failed_pass_fail=1
    )
    assert tally([], pass_points=D(0)) == Tally(D(0), D(0), D(0), 0, 0, 0)
    assert tally([], pass_points=D(0)).meets and not tally([], pass_points=D("0.5")).meets
    assert application_errors(year=2021, applied_on=TODAY, today=TODAY) == {}
    assert application_errors(year=2021, applied_on=date(2021, 3, 2), today=TODAY) == {
        "applied_on": "日期不能是未来的日期。"
    }
    assert application_errors(year=2020, applied_on=date(2018, 12, 31), today=TODAY) == {
        "applied_on": "2020年的申报应在2019年或2020年提出。"
    }
    assert application_errors(year=2022, applied_on=date(2021, 1, 4), today=TODAY) == {}
    assert application_errors(year=2023, applied_on=date(2021, 1, 4), today=TODAY) == {
        "applied_on": "2023年的申报应在2022年或2023年提出。",
        "year": "最多只能申报下一年度。",
    }


def test_the_deadline_is_the_end_of_june():
    creation = CreationFactory.build(year=2020, applied_on=date(2020, 6, 30))
    assert creation.deadline == date(2020, 6, 30) and not creation.applied_late
    creation.applied_on = date(2020, 7, 1)
    assert creation.applied_late


# --- the application ---------------------------------------------------------------------------


def test_the_manager_applies_with_the_plan_document_and_corrects_it(manager_scope, agency):
    creation = services.application_save(
        scope=manager_scope,
        year=2020,
        plan_title="实施方案",
        applied_on=date(2020, 6, 29),
        plan_document=pdf_upload(),
        today=TODAY,
    )
    assert creation.agency == agency and creation.scheme.code == "national-2020"
    assert creation.plan_document.name.endswith(".pdf")
    again = services.application_save(
        scope=manager_scope,
        year=2020,
        plan_title="实施方案（修订）",
        applied_on=date(2020, 6, 30),
        today=TODAY,
    )
    assert again.pk == creation.pk and again.plan_title == "实施方案（修订）" and again.plan_document


@pytest.mark.parametrize("who", ["clerk_scope", "leader_scope"])
def test_only_the_manager_applies(who, request):
    with pytest.raises(PermissionDenied):
        services.application_save(
            scope=request.getfixturevalue(who),
            year=2020,
            plan_title="实施方案",
            applied_on=date(2020, 6, 29),
            today=TODAY,
        )


def test_the_application_is_fixed_once_the_self_assessment_is_submitted(manager_scope, agency):
    scored_creation(agency, stage=Stage.ASSESSED)
    with pytest.raises(ValidationError):
        services.application_save(
            scope=manager_scope, year=2020, plan_title="改", applied_on=date(2020, 6, 29), today=TODAY
        )


def test_a_plan_that_is_neither_pdf_nor_image_is_refused(manager_scope):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError):
        services.application_save(
            scope=manager_scope,
            year=2020,
            plan_title="实施方案",
            applied_on=date(2020, 6, 29),
            plan_document=SimpleUploadedFile("plan.pdf", b"MZ\x90\x00not a pdf"),
            today=TODAY,
        )


# --- the self-assessment -----------------------------------------------------------------------


def _entries(creation, **points):
    items = {i.code: i for i in creation.scheme.items.all()}
    return [services.ScoreEntry(item=items[code], points=D(p)) for code, p in points.items()]


def test_a_score_keeps_the_portal_evidence_as_it_stood(manager_scope, agency):
    creation = CreationFactory(agency=agency)
    EventFactory(agency=agency, kind="clean_plate", date=date(2020, 6, 29))
    (score,) = services.self_assessment_save(
        scope=manager_scope, creation=creation, entries=_entries(creation, food="6"), today=TODAY
    )
    assert score.points == D(6) and score.portal_evidence["found"] is True
    assert score.portal_evidence["links"][0]["url"] == "/campaigns/events/?year=2020"


def test_points_above_the_items_are_refused(manager_scope, agency):
    creation = CreationFactory(agency=agency)
    with pytest.raises(ValidationError):
        services.self_assessment_save(
            scope=manager_scope, creation=creation, entries=_entries(creation, food="6.5"), today=TODAY
        )
    assert not ItemScore.objects.exists()


def test_submitting_needs_every_item_marked_then_fixes_the_scores(manager_scope, agency):
    creation = CreationFactory(agency=agency)
    services.self_assessment_save(
        scope=manager_scope, creation=creation, entries=_entries(creation, food="6"), today=TODAY
    )
    with pytest.raises(ValidationError):
        services.self_assessment_submit(scope=manager_scope, creation=creation, today=TODAY)

    creation = scored_creation(agency, year=2021)
    services.self_assessment_submit(scope=manager_scope, creation=creation, today=TODAY)
    creation.refresh_from_db()
    assert creation.stage == Stage.ASSESSED and creation.assessed_on == TODAY
    with pytest.raises(ValidationError):
        services.self_assessment_save(
            scope=manager_scope, creation=creation, entries=_entries(creation, food="1"), today=TODAY
        )
    services.self_assessment_reopen(scope=manager_scope, creation=creation)
    creation.refresh_from_db()
    assert creation.stage == Stage.APPLIED and creation.assessed_on is None


def test_another_agencys_creation_cannot_be_scored(outsider_scope, agency):
    creation = CreationFactory(agency=agency)
    with pytest.raises(PermissionDenied):
        services.self_assessment_save(
            scope=outsider_scope, creation=creation, entries=_entries(creation, food="6"), today=TODAY
        )


# --- the portal's evidence ---------------------------------------------------------------------


def _item(creation, source):
    return creation.scheme.items.get(evidence=source)


def test_months_due_are_the_months_over():
    assert months_due(2020, TODAY) == list(range(1, 13))
    assert months_due(2021, TODAY) == [1, 2]
    assert months_due(2022, TODAY) == []


def test_the_organisation_is_evidence_once_the_group_and_the_office_are_recorded(agency):
    creation = CreationFactory(agency=agency)
    item = _item(creation, "organisation")
    assert not evidence_for(creation, item, TODAY).found
    OrganisationMemberFactory(agency=agency, position="leader")
    OrganisationMemberFactory(agency=agency, position="member")
    OrganisationMemberFactory(agency=agency, body="office", position="head")
    assert not evidence_for(creation, item, TODAY).found  # no duties yet
    ManagementOfficeFactory(agency=agency)
    found = evidence_for(creation, item, TODAY)
    assert found.found and found.links[0].url == "/campaigns/organisation/?year=2020"


def test_events_are_evidence_when_each_national_day_and_a_lecture_were_held(agency):
    creation = CreationFactory(agency=agency)
    item = _item(creation, "events")
    for kind in ("energy_week", "low_carbon_day", "world_water_day"):
        EventFactory(agency=agency, kind=kind, date=date(2020, 6, 15))
    assert not evidence_for(creation, item, TODAY).found
    EventFactory(agency=agency, kind="training", date=date(2020, 11, 12))
    EventFactory(agency=agency, kind="training", date=date(2019, 11, 12))
    with translation.override("en"):
        found = evidence_for(creation, item, TODAY)
    assert found.found and "lectures and training 1." in found.summary


def test_spot_checks_are_evidence_with_a_check_each_quarter_and_nothing_left_open(agency, department):
    creation = CreationFactory(agency=agency)
    item = _item(creation, "spot_checks")
    for month in (2, 5, 8):
        SpotCheckFactory(agency=agency, department=department, date=date(2020, month, 10), time=time(10))
    assert not evidence_for(creation, item, TODAY).found
    late = SpotCheckFactory(
        agency=agency, department=department, date=date(2020, 11, 10), rectify_by=date(2020, 11, 20)
    )
    SpotCheckFindingFactory(spot_check=late)
    assert not evidence_for(creation, item, TODAY).found  # a finding not yet rectified
    late.rectified_on = date(2020, 11, 18)
    late.save()
    assert evidence_for(creation, item, TODAY).found


def test_the_plan_is_evidence_when_attached_and_applied_in_time(agency):
    creation = CreationFactory(agency=agency, applied_on=date(2020, 7, 1), plan_document=pdf_upload())
    item = _item(creation, "plan")
    assert not evidence_for(creation, item, TODAY).found
    creation.applied_on = date(2020, 6, 30)
    assert evidence_for(creation, item, TODAY).found


def test_without_a_vehicles_ledger_the_vehicle_item_says_so(agency):
    from reporting.registry import get_indicator

    creation = CreationFactory(agency=agency)
    try:
        get_indicator("vehicles.fuel")
    except LookupError:
        found = evidence_for(creation, _item(creation, "vehicles"), TODAY)
        assert not found.found and found.links == []
    else:
        pytest.skip("the vehicles ledger is registered: its evidence is tested with it")


# --- the organisation --------------------------------------------------------------------------


def test_a_position_must_belong_to_its_body(manager_scope):
    with pytest.raises(ValidationError):
        services.member_save(scope=manager_scope, year=2020, body="office", position="leader", name="甲")
    member = services.member_save(
        scope=manager_scope, year=2020, body="office", position="head", name="甲", post="四级调研员"
    )
    assert member.agency == manager_scope.agency


def test_the_office_duties_are_one_row_per_year(manager_scope):
    services.office_save(scope=manager_scope, year=2020, duties="一")
    office = services.office_save(scope=manager_scope, year=2020, duties="二")
    assert office.duties == "二" and office.agency.management_offices.count() == 1


def test_another_agencys_member_cannot_be_changed(outsider_scope, agency):
    member = OrganisationMemberFactory(agency=agency)
    with pytest.raises(PermissionDenied):
        services.member_save(
            scope=outsider_scope, year=2020, body="group", position="member", name="乙", member=member
        )
    with pytest.raises(PermissionDenied):
        services.member_delete(scope=outsider_scope, member=member)
    assert OrganisationMember.objects.filter(pk=member.pk, name=member.name).exists()


# --- pages -------------------------------------------------------------------------------------


def test_the_form_proposes_full_points_where_the_portal_shows_the_evidence(login, manager, agency):
    creation = CreationFactory(agency=agency)
    EventFactory(agency=agency, kind="clean_plate", date=date(2020, 6, 29))
    page = login(manager).get(reverse("campaigns:creation_assess", args=[creation.pk]))
    assert page.status_code == 200
    assert page.context["rows"][[r[0].item.code for r in page.context["rows"]].index("food")][1][
        "points"
    ].value() == D(6)
    assert page.context["rows"][0][0].item.code == "targets"


def test_the_manager_scores_and_submits_through_the_pages(login, manager, agency):
    client = login(manager)
    creation = CreationFactory(agency=agency)
    data = {"targets-passed": "yes"}
    for item in creation.scheme.items.exclude(points=None):
        data[f"{item.code}-points"] = str(item.points)
        data[f"{item.code}-evidence"] = "见台账"
    response = client.post(reverse("campaigns:creation_assess", args=[creation.pk]), data)
    assert response.status_code == 302
    assert services.creation_tally(creation).meets
    client.post(reverse("campaigns:creation_submit", args=[creation.pk]))
    creation.refresh_from_db()
    assert creation.stage == Stage.ASSESSED
    detail = client.get(reverse("campaigns:creation_detail", args=[creation.pk]))
    assert "100.0 / 100.0" in detail.content.decode()


def test_the_self_assessment_shows_the_organisation_as_evidence(login, leader, agency):
    creation = CreationFactory(agency=agency)
    OrganisationMemberFactory(agency=agency, position="leader", name="示例人员甲", post="党组书记、局长")
    page = login(leader).get(reverse("campaigns:creation_detail", args=[creation.pk])).content.decode()
    assert "示例人员甲" in page and "党组书记、局长" in page


def test_a_points_value_out_of_range_is_shown_on_the_form(login, manager, agency):
    creation = CreationFactory(agency=agency)
    response = login(manager).post(
        reverse("campaigns:creation_assess", args=[creation.pk]), {"food-points": "7"}
    )
    assert response.status_code == 200 and not Creation.objects.get(pk=creation.pk).scores.exists()
