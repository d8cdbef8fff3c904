# Only what differs from Django's own zh_Hans formats (FORMAT_MODULE_PATH; the rest falls back to Django's).
MONTH_DAY_FORMAT = "n月j日"  # 4月13日 (Django's "m月j日" writes 04月13日)
TIME_FORMAT = "H:i"  # 09:30
