from django.urls import path, register_converter

from . import (
    campaign_views,
    checkin_staff_views,
    checkin_views,
    details_views,
    hostlist_views,
    lost_link_views,
    questions_views,
    substitution_views,
    travel_views,
    views,
    visit_views,
)
from .tokens import TokenConverter

register_converter(TokenConverter, "token")

app_name = "registrations"

# These paths are printed in QR codes and on paper: keep them stable.
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("d/<slug:slug>/", views.delegation_detail, name="delegation_detail"),
    path("d/<slug:slug>/register/", views.registration_create, name="register"),
    path("d/<slug:slug>/lost-link/", lost_link_views.lost_link, name="lost_link"),
    path("d/<slug:slug>/privacy/", details_views.privacy_notice, name="privacy"),
    path("d/<slug:slug>/itinerary.ics", views.itinerary_ics, name="itinerary_ics"),
    path("d/<slug:slug>/qr.png", views.qr_png, name="qr_png"),
    path("d/<slug:slug>/qr.svg", views.qr_svg, name="qr_svg"),
    path("r/<token:token>/", views.registration_detail, name="registration_detail"),
    path("r/<token:token>/edit/", details_views.registration_edit, name="registration_edit"),
    path("r/<token:token>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("r/<token:token>/offer/accept/", views.offer_respond, {"answer": "accept"}, name="offer_accept"),
    path("r/<token:token>/offer/decline/", views.offer_decline, name="offer_decline"),
    path("r/<token:token>/confirm/", views.email_confirm, name="email_confirm"),
    path("r/<token:token>/confirm/<str:code>/", views.email_confirm, name="email_confirm_link"),
    path("r/<token:token>/travel/", travel_views.travel_document, name="travel_document"),
    path("r/<token:token>/questions/", questions_views.registration_answers, name="registration_answers"),
    path("r/<token:token>/travel/delete/", travel_views.travel_document_delete, name="travel_document_delete"),
    path("r/<token:token>/travel/letter/<str:language>/", travel_views.visa_letter, name="visa_letter"),
    path("r/<token:token>/substitute/", substitution_views.registration_substitute, name="registration_substitute"),
    path("i/<token:token>/", views.invitation_register, name="invitation"),
    path("s/<token:token>/", substitution_views.handover_accept, name="handover_accept"),
    path("r/<token:token>/visits/<int:visit_id>/join/", visit_views.visit_join, name="visit_join"),
    path("r/<token:token>/visits/<int:visit_id>/leave/", visit_views.visit_leave, name="visit_leave"),
    path("r/<token:token>/checkin.png", checkin_views.checkin_qr_png, name="checkin_qr"),
    path("h/<token:token>/", hostlist_views.host_list, name="host_list"),
    path("h/<token:token>/visitors.xlsx", hostlist_views.host_list_xlsx, name="host_list_xlsx"),
    path("h/<token:token>/visitors.pdf", hostlist_views.host_list_pdf, name="host_list_pdf"),
    path("q/<str:code>", campaign_views.short_link, name="short_link"),
    path("q/<str:code>/", campaign_views.short_link),
    path("c/", checkin_staff_views.checkin_today, name="checkin_today"),
    path("c/visits/<int:item_id>/", checkin_staff_views.checkin_scan, name="checkin_scan"),
    path("c/<str:code>/", checkin_views.checkin, name="checkin"),
]
