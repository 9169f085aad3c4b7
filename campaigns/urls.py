"""URLs of campaigns: publicity and training, inspections (spot checks, bulletin, repairs)."""

from django.urls import path

from . import views
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
]
