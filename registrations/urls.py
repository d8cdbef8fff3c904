from django.urls import path, register_converter

from registrations.core.tokens import TokenConverter
from registrations.views import checkin, checkin_staff, details, hostlists, lost_link, public, questions, sources, substitution, travel, visits

register_converter(TokenConverter, "token")

app_name = "registrations"

# These paths are printed in QR codes and on paper: keep them stable.
urlpatterns = [
    path("", public.home, name="home"),
    path("healthz", public.healthz, name="healthz"),
    path("d/<slug:slug>/", public.delegation_detail, name="delegation_detail"),
    path("d/<slug:slug>/register/", public.registration_create, name="register"),
    path("d/<slug:slug>/lost-link/", lost_link.lost_link, name="lost_link"),
    path("d/<slug:slug>/privacy/", details.privacy_notice, name="privacy"),
    path("d/<slug:slug>/itinerary.ics", public.itinerary_ics, name="itinerary_ics"),
    path("d/<slug:slug>/qr.png", public.qr_png, name="qr_png"),
    path("d/<slug:slug>/qr.svg", public.qr_svg, name="qr_svg"),
    path("r/<token:token>/", public.registration_detail, name="registration_detail"),
    path("r/<token:token>/edit/", details.registration_edit, name="registration_edit"),
    path("r/<token:token>/cancel/", public.registration_cancel, name="registration_cancel"),
    path("r/<token:token>/offer/accept/", public.offer_respond, {"answer": "accept"}, name="offer_accept"),
    path("r/<token:token>/offer/decline/", public.offer_decline, name="offer_decline"),
    path("r/<token:token>/confirm/", public.email_confirm, name="email_confirm"),
    path("r/<token:token>/confirm/<str:code>/", public.email_confirm, name="email_confirm_link"),
    path("r/<token:token>/travel/", travel.travel_document, name="travel_document"),
    path("r/<token:token>/questions/", questions.registration_answers, name="registration_answers"),
    path("r/<token:token>/travel/delete/", travel.travel_document_delete, name="travel_document_delete"),
    path("r/<token:token>/travel/letter/<str:language>/", travel.visa_letter, name="visa_letter"),
    path("r/<token:token>/substitute/", substitution.registration_substitute, name="registration_substitute"),
    path("i/<token:token>/", public.invitation_register, name="invitation"),
    path("s/<token:token>/", substitution.handover_accept, name="handover_accept"),
    path("r/<token:token>/visits/<int:visit_id>/join/", visits.visit_join, name="visit_join"),
    path("r/<token:token>/visits/<int:visit_id>/leave/", visits.visit_leave, name="visit_leave"),
    path("r/<token:token>/checkin.png", checkin.checkin_qr_png, name="checkin_qr"),
    path("h/<token:token>/", hostlists.host_list, name="host_list"),
    path("h/<token:token>/visitors.xlsx", hostlists.host_list_xlsx, name="host_list_xlsx"),
    path("h/<token:token>/visitors.pdf", hostlists.host_list_pdf, name="host_list_pdf"),
    path("q/<str:code>", sources.short_link, name="short_link"),
    path("q/<str:code>/", sources.short_link),
    path("c/", checkin_staff.checkin_today, name="checkin_today"),
    path("c/visits/<int:item_id>/", checkin_staff.checkin_scan, name="checkin_scan"),
    path("c/<str:code>/", checkin.checkin, name="checkin"),
]
