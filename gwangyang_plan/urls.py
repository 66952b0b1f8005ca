"""Top-level URLs; each app keeps its own pages."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .forms import SignInForm

admin.site.site_header = "광양시 4차산업혁명 추진관리 · 시스템 관리"
admin.site.site_title = "추진관리 시스템 관리"
admin.site.index_title = "관리 메뉴"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("projects.urls")),
]
