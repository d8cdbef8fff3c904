# Only what differs from Django's own ko formats (FORMAT_MODULE_PATH; the rest falls back to Django's).
MONTH_DAY_FORMAT = "n월 j일"  # 4월 13일
TIME_FORMAT = "A g:i"  # 오후 11:59
DATETIME_FORMAT = "Y년 n월 j일 A g:i"  # 2027년 4월 13일 오후 11:59 (Django's puts 오후 after the time)
