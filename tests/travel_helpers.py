"""A pytest plugin (pytest.ini: -p tests.travel_helpers): fixed Fernet keys for travel documents in tests.

Set in the environment before Django reads its settings, so subprocesses (manage.py check --deploy) see them too.
"""

import os

TEST_KEY = "dGVzdHMtb25seS10cmF2ZWwtZG9jdW1lbnQta2V5LTE="  # 32 bytes, url-safe base64: tests only
OTHER_TEST_KEY = "dGVzdHMtb25seS10cmF2ZWwtZG9jdW1lbnQta2V5LTI="

os.environ.setdefault("TRAVEL_DOCUMENT_KEYS", TEST_KEY)
