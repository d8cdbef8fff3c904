"""Helpers of the seat substitution tests: a confirmed delegate with a visit place, travel documents and a colleague."""

from registrations import services
from registrations.models import Registration
from tests.conftest import submit
from tests.visit_helpers import make_visit


def colleague(**overrides) -> dict:
    """The colleague who takes the seat, as the forms pass them to the services."""
    return {
        "full_name": "李四",
        "company": "",
        "job_title": "COO",  # no company: the seat's (the delegate's form)
        "email": "li.si@example.cn",
        "phone": "+86 139 0000 0000",
        "wechat_id": "lisi_wx",
        "language": "zh-hans",
        **overrides,
    }


def confirmed_delegate(delegation, **overrides) -> Registration:
    """A confirmed delegate of Weihai Smart Logistics with a place on an optional visit and travel documents."""
    delegation.travel_data_recipients = "Incheon hotels"
    delegation.save()
    registration = submit(delegation, company="Weihai Smart Logistics Co.", full_name="张三", email="zhang@example.cn", language="en", **overrides)
    visit = make_visit(delegation, capacity=3)
    services.visit_join(registration=registration, visits=[visit])
    services.travel_consent_give(registration=registration, recipients="Incheon hotels")
    services.travel_document_save(registration=registration, details={"passport_name": "ZHANG SAN", "passport_number": "E12345678"})
    registration.refresh_from_db()
    return registration


def hand_over(registration, *, by=None, **person) -> Registration:
    """Request and accept in one go: what the two steps do when the colleague accepts."""
    handover = services.seat_handover_request(registration=registration, new_person=colleague(**person), by=by)
    return services.seat_handover_accept(handover=handover)
