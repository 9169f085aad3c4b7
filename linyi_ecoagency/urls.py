"""Root URLconf: each app owns its URLs under its namespace."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from agencies import views as agency_views
from agencies.scoping import public_view
from linyi_ecoagency import health

admin.site.site_header = admin.site.site_title = "节约型机关创建 · 管理后台"
# A database that went away answers 503 in Chinese, not a traceback (linyi_ecoagency/health.py).
handler500 = health.server_error_or_unavailable

urlpatterns = [
    path("", agency_views.home, name="home"),
    path(
        "accounts/login/",
        public_view(auth_views.LoginView.as_view(redirect_authenticated_user=True)),
        name="login",
    ),
    path("accounts/logout/", public_view(auth_views.LogoutView.as_view()), name="logout"),
    path("i18n/setlang/", public_view(lambda request: set_language(request)), name="set_language"),
    path("agencies/", include("agencies.urls")),
    path("reporting/", include("reporting.urls")),
    path("imports/", include("imports.urls")),
    path("ledger/", include("ledger.urls")),
    path("vehicles/", include("vehicles.urls")),
    path("waste/", include("waste.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("admin/", admin.site.urls),
    path(health.HEALTH_PATH.lstrip("/"), health.healthz, name="healthz"),
]
