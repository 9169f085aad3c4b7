from django.urls import path

from . import views

app_name = "agencies"

urlpatterns = [
    path("switch/", views.switch, name="switch"),
    path("profile/", views.profile, name="profile"),
    path("profile/years/", views.year_save, name="year_save"),
    path("profile/departments/", views.department_add, name="department_add"),
    path("profile/notice/", views.notice_save, name="notice_save"),
]
