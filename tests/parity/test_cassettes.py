"""The committed cassettes: every flow of the contract suite, recorded through the proxy with the
sandbox as upstream, replays with zero differences, and is still what the flow records today."""

import httpx
import pytest

from contracts.checks import Check, all_checks
from fake_intercom.parity.cassette import Exchange, loads_cassette, read_cassette
from fake_intercom.parity.verify import Comparison, IdMap, verify
from tests.parity.flows import CASSETTES, cassette_path, record_check

CHECKS = all_checks()
REGENERATE = "re-record with `python -m tests.parity.flows`"


def test_every_check_has_its_cassette_and_no_other_is_kept() -> None:
    expected = {cassette_path(check).name for check in CHECKS}
    kept = {path.name for path in CASSETTES.glob("*.jsonl")}
    assert kept == expected, (
        f"{REGENERATE}: missing {sorted(expected - kept)}, stray {sorted(kept - expected)}"
    )


@pytest.mark.parametrize("check", CHECKS, ids=str)
def test_recorded_flow_replays_without_differences(check: Check, sandbox) -> None:
    path = cassette_path(check)
    report = verify(path, sandbox=sandbox)
    differences = [d.to_json() for d in report.differences]
    assert not differences, (
        f"the sandbox answers {check} differently; if on purpose, {REGENERATE}: {differences}"
    )
    assert report.replayed == len(read_cassette(path)) and not report.skipped and not report.unused


def recording_drift(committed: list[Exchange], fresh: list[Exchange]) -> list[str]:
    """How a fresh recording of a flow differs from the committed one in what it asks and in the
    shape of what it gets (values such as generated names are new on every run)."""
    if len(committed) != len(fresh):
        return [f"{len(committed)} exchanges committed, {len(fresh)} recorded now"]
    ids = IdMap()
    drift = []
    for old, new in zip(committed, fresh, strict=True):
        asked = (old.request.method, ids.path(old.request.path), old.request.auth)
        if asked != (new.request.method, new.request.path, new.request.auth):
            return [*drift, f"#{old.n}: {old.request.line} ({old.request.auth}) is now {new.request.line}"]
        answer = Comparison(old, ids).answer(
            new.response.status, httpx.Headers(new.response.headers), new.response.content
        )
        drift += [f"#{d.exchange} {d.request}: {d.kind} at {d.path}" for d in answer if d.kind != "value"]
    return drift


@pytest.mark.parametrize("check", CHECKS, ids=str)
def test_committed_cassette_is_what_the_flow_records_today(check: Check, sandbox) -> None:
    fresh = loads_cassette(record_check(check, sandbox))
    drift = recording_drift(read_cassette(cassette_path(check)), fresh)
    assert not drift, f"{check} changed since its cassette was recorded; {REGENERATE}: {drift}"
