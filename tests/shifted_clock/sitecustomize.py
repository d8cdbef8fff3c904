"""The shifted clock of the test run, in every Python process a test starts (manage.py commands, workers).

conftest puts this folder on PYTHONPATH when TESTS_SHIFT_DAYS is set; Python imports sitecustomize
at start-up.
"""

import os
from datetime import timedelta

_days = int(os.environ.get("TESTS_SHIFT_DAYS") or 0)
if _days:
    import time_machine

    time_machine.travel(timedelta(days=_days), tick=True).start()
