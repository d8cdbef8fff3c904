# Only what differs from Django's own en formats (FORMAT_MODULE_PATH; the rest falls back to Django's).
MONTH_DAY_FORMAT = "j F"  # 13 April
TIME_FORMAT = "H:i"  # 09:30, as the itinerary shows times (Django's "P" writes 9:30 a.m.)
# Organizers in Beijing, Seoul and New York read the same admin: months as words (never 04/12), no a.m./p.m.
DATETIME_FORMAT = "N j, Y, H:i"  # Dec. 2, 2026, 23:59 (Django's "P" writes 11:59 p.m.)
SHORT_DATE_FORMAT = "j M Y"  # 13 Apr 2027 (Django's "m/d/Y" reads as 4 December elsewhere)
SHORT_DATETIME_FORMAT = "j M Y, H:i"  # 13 Apr 2027, 23:59
