"""Runs the Singer extractor tap-intercom, unmodified, against a fake-intercom base URL.

    <tap venv>/bin/python run_tap_intercom.py <base URL> --config ... --catalog ... [--state ...]

tap-intercom has no setting for its host (its client sets `base_url = 'https://api.intercom.io'` when
it is made), so this sets that attribute right after, and changes nothing else: every request, header,
query, page walk, retry and state message is the tap's own.
"""

import sys

import tap_intercom
import tap_intercom.client

BASE_URL = sys.argv.pop(1)
_made = tap_intercom.client.IntercomClient.__init__


def _pointed_at_the_sandbox(self, *args, **kwargs):
    _made(self, *args, **kwargs)
    self.base_url = BASE_URL


tap_intercom.client.IntercomClient.__init__ = _pointed_at_the_sandbox
tap_intercom.main()
