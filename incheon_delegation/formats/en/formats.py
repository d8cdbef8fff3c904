# Only what differs from Django's own en formats (FORMAT_MODULE_PATH; the rest falls back to Django's).
MONTH_DAY_FORMAT = "j F"  # 13 April
TIME_FORMAT = "H:i"  # 09:30, as the itinerary shows times (Django's "P" writes 9:30 a.m.)
