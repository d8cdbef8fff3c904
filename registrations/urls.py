from django.urls import path, register_converter

from . import views
from .tokens import TokenConverter

register_converter(TokenConverter, "token")

app_name = "registrations"

# These paths are printed in QR codes and on paper: keep them stable.
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("d/<slug:slug>/", views.delegation_detail, name="delegation_detail"),
    path("d/<slug:slug>/register/", views.registration_create, name="register"),
    path("d/<slug:slug>/itinerary.ics", views.itinerary_ics, name="itinerary_ics"),
    path("d/<slug:slug>/qr.png", views.qr_png, name="qr_png"),
    path("d/<slug:slug>/qr.svg", views.qr_svg, name="qr_svg"),
    path("r/<token:token>/", views.registration_detail, name="registration_detail"),
    path("r/<token:token>/cancel/", views.registration_cancel, name="registration_cancel"),
]
