"""A test mail backend: Django's in-memory backend, a little slow, so that concurrent senders overlap."""

import time

from django.core.mail.backends import locmem


class SlowLocmemBackend(locmem.EmailBackend):
    def send_messages(self, messages):
        time.sleep(0.01)
        return super().send_messages(messages)
