"""Days and times in Korea in the active language's natural form, for the check-in pages."""

from django import template

from registrations.core.i18n import clock_text, day_and_time_text, day_text

register = template.Library()


@register.filter
def day(moment) -> str:
    """``{{ item.starts_at|day }}``: "13 April", "4月13日", "4월 13일"."""
    return day_text(moment) if moment else ""


@register.filter
def clock(moment) -> str:
    """``{{ item.starts_at|clock }}``: "09:30", "오전 9:30"."""
    return clock_text(moment) if moment else ""


@register.filter
def day_and_time(moment) -> str:
    """``{{ checkin.checked_in_at|day_and_time }}``: "4月13日 09:30", "4월 13일 오후 11:59"."""
    return day_and_time_text(moment) if moment else ""
