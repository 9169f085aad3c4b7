"""URLs of campaigns: publicity and training, inspections (spot checks, bulletin, repairs), the creation
workflow and its organisation."""

from django.urls import path

from . import views
from .creation import views as creation
from .energy import views as energy
from .inspections import views as inspections
from .publicity import views as publicity

app_name = "campaigns"

urlpatterns = [
    path("", views.index, name="index"),
    # publicity and training (节能宣传)
    path("events/", publicity.event_list, name="event_list"),
    path("events/calendar/", publicity.event_calendar, name="event_calendar"),
    path("events/export/", publicity.event_export, name="event_export"),
    path("events/new/", publicity.event_create, name="event_create"),
    path("events/<int:pk>/", publicity.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", publicity.event_edit, name="event_edit"),
    path("events/<int:pk>/delete/", publicity.event_delete, name="event_delete"),
    path("events/<int:pk>/files/", publicity.event_file_add, name="event_file_add"),
    path("event-files/<int:pk>/", publicity.event_file, name="event_file"),
    path("event-files/<int:pk>/delete/", publicity.event_file_delete, name="event_file_delete"),
    # spot checks and the bulletin (抽查、通报)
    path("spot-checks/", inspections.spot_check_list, name="spot_check_list"),
    path("spot-checks/new/", inspections.spot_check_create, name="spot_check_create"),
    path("spot-checks/<int:pk>/", inspections.spot_check_detail, name="spot_check_detail"),
    path("spot-checks/<int:pk>/edit/", inspections.spot_check_edit, name="spot_check_edit"),
    path("spot-checks/<int:pk>/close/", inspections.spot_check_close, name="spot_check_close"),
    path("spot-check-photos/<int:pk>/", inspections.spot_check_photo, name="spot_check_photo"),
    path("bulletin/", inspections.bulletin, name="bulletin"),
    path("bulletin.pdf", inspections.bulletin_pdf_view, name="bulletin_pdf"),
    # repair requests (跑冒滴漏)
    path("repairs/", inspections.repair_list, name="repair_list"),
    path("repairs/new/", inspections.repair_create, name="repair_create"),
    path("repairs/<int:pk>/edit/", inspections.repair_edit, name="repair_edit"),
    path("repairs/<int:pk>/fixed/", inspections.repair_fix, name="repair_fix"),
    path("repairs/<int:pk>/photo/", inspections.repair_photo, name="repair_photo"),
    # the creation workflow (申报 → 自评 → 核查) and its organisation (附件1)
    path("creation/", creation.creation_list, name="creation_list"),
    path("creation/apply/", creation.creation_apply, name="creation_apply"),
    path("creation/<int:pk>/", creation.creation_detail, name="creation_detail"),
    path("creation/<int:pk>/self-assessment/", creation.creation_assess, name="creation_assess"),
    path("creation/<int:pk>/submit/", creation.creation_submit, name="creation_submit"),
    path("creation/<int:pk>/reopen/", creation.creation_reopen, name="creation_reopen"),
    path("creation/<int:pk>/plan/", creation.creation_plan, name="creation_plan"),
    path("creation/<int:pk>/verify/", creation.creation_verify, name="creation_verify"),
    path("creation/city/", creation.creation_city, name="creation_city"),
    path("energy/factors/", energy.factor_list, name="factor_list"),
    path("organisation/", creation.organisation, name="organisation"),
    path("organisation/members/new/", creation.member_create, name="member_create"),
    path("organisation/members/<int:pk>/edit/", creation.member_edit, name="member_edit"),
    path("organisation/members/<int:pk>/delete/", creation.member_delete, name="member_delete"),
    path("organisation/office/", creation.office_edit, name="office_edit"),
]
