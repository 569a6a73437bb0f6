"""Parity with the live API: record real traffic once (`record`), hold the sandbox to it (`verify`).

A cassette is a JSON Lines file, one exchange per line, written by the recording proxy of `record.py`
with secrets removed and personal data optionally replaced (`redact.py`). `verify.py` replays it
against a fresh sandbox workspace and compares each answer with the recorded one.
"""

from fake_intercom.parity.cassette import Exchange, read_cassette
from fake_intercom.parity.record import Recorder, recording_proxy
from fake_intercom.parity.verify import Difference, Report, verify

__all__ = ["Difference", "Exchange", "Recorder", "Report", "read_cassette", "recording_proxy", "verify"]
