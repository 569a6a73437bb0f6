"""A real data-pipeline extractor, the Singer tap `tap-intercom` (pinned in the Makefile), syncs the
demo workspace over HTTP, unmodified (see run_tap_intercom.py for the one base-URL override).

Full sync: every stream of its catalog, no error, and each stream's record count equal to what the
sandbox holds (admins, companies by scroll, data attributes of both models, segments, conversations
and each one's parts, contacts by search, tags, teams). Incremental sync with the state of the first:
after API writes a day later, each incremental stream emits exactly the objects that changed plus those
whose `updated_at` is the bookmark itself (the tap's bookmarks are inclusive, Singer's at-least-once).
"""

import json
import subprocess
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from fake_intercom import Settings, create_app
from fake_intercom.testing import serve_in_thread

ROOT = Path(__file__).resolve().parents[2]
TAP_PYTHON = ROOT / ".venv-tap" / "bin" / "python"
RUNNER = Path(__file__).with_name("run_tap_intercom.py")
TOKEN = "tap-intercom-token"
DAY = 86_400


def _tap_installed() -> bool:
    if not TAP_PYTHON.is_file():
        return False
    probe = subprocess.run([TAP_PYTHON, "-c", "import tap_intercom"], capture_output=True, check=False)
    return probe.returncode == 0


pytestmark = pytest.mark.skipif(
    not _tap_installed(), reason="tap-intercom is not installed in .venv-tap (`make clients` installs it)"
)


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory) -> Any:
    app = create_app(Settings(seed="demo", token=TOKEN))
    with serve_in_thread(app) as url:
        yield app, url


@pytest.fixture(scope="module")
def api(sandbox) -> Any:
    with httpx.Client(
        base_url=sandbox[1], headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30
    ) as client:
        yield client


def run_tap(url: str, folder: Path, *args: str) -> list[dict[str, Any]]:
    result = subprocess.run(
        [TAP_PYTHON, RUNNER, url, "--config", str(folder / "config.json"), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "CRITICAL" not in result.stderr and "Traceback" not in result.stderr, result.stderr[-3000:]
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def records(messages: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    by_stream = defaultdict(list)
    for message in messages:
        if message["type"] == "RECORD":
            by_stream[message["stream"]].append(message["record"])
    return by_stream


@pytest.fixture(scope="module")
def first_sync(sandbox, tmp_path_factory) -> tuple[Path, list[dict[str, Any]]]:
    _, url = sandbox
    folder = tmp_path_factory.mktemp("tap")
    (folder / "config.json").write_text(
        json.dumps(
            {"access_token": TOKEN, "start_date": "2000-01-01T00:00:00Z", "user_agent": "fake-intercom"}
        )
    )
    catalog = json.loads(
        subprocess.run(
            [TAP_PYTHON, RUNNER, url, "--config", str(folder / "config.json"), "--discover"],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout
    )
    for stream in catalog["streams"]:
        for entry in stream["metadata"]:
            entry["metadata"]["selected"] = True
    (folder / "catalog.json").write_text(json.dumps(catalog))
    return folder, run_tap(url, folder, "--catalog", str(folder / "catalog.json"))


def sandbox_counts(api: httpx.Client) -> dict[str, int]:
    conversations = api.get("/conversations", params={"per_page": 150}).json()
    assert "next" not in conversations["pages"]
    parts = sum(
        len(api.get(f"/conversations/{item['id']}").json()["conversation_parts"]["conversation_parts"])
        for item in conversations["conversations"]
    )
    return {
        "admins": len(api.get("/admins").json()["admins"]),
        "companies": api.get("/companies").json()["total_count"],
        "company_attributes": len(api.get("/data_attributes", params={"model": "company"}).json()["data"]),
        "contact_attributes": len(api.get("/data_attributes", params={"model": "contact"}).json()["data"]),
        "company_segments": len(api.get("/segments", params={"type": "company"}).json()["segments"]),
        "segments": len(api.get("/segments").json()["segments"]),
        "conversations": conversations["total_count"],
        "conversation_parts": parts,
        "contacts": api.get("/contacts").json()["total_count"],
        "tags": len(api.get("/tags").json()["data"]),
        "teams": len(api.get("/teams").json()["teams"]),
    }


def test_a_full_sync_of_every_stream_matches_the_sandbox(first_sync, api) -> None:
    folder, messages = first_sync
    streams = {
        stream["tap_stream_id"] for stream in json.loads((folder / "catalog.json").read_text())["streams"]
    }
    counts = {stream: len(found) for stream, found in records(messages).items()}
    expected = sandbox_counts(api)
    assert set(expected) == streams
    assert counts == expected
    assert all(count > 0 for count in counts.values()), counts


def test_an_incremental_sync_picks_up_what_changed(sandbox, first_sync, api) -> None:
    app, url = sandbox
    folder, messages = first_sync
    state = next(message["value"] for message in reversed(messages) if message["type"] == "STATE")
    (folder / "state.json").write_text(json.dumps(state))
    store = app.state.store
    workspace = store.workspace_for_token(TOKEN)
    store.set_clock(workspace, frozen_at=None, offset=DAY)

    contacts = api.get("/contacts", params={"per_page": 2}).json()["data"]
    renamed = api.put(f"/contacts/{contacts[0]['id']}", json={"name": "Renamed Person"}).json()
    created = api.post("/contacts", json={"email": "new-after-sync@example.com"}).json()
    company = api.get("/companies", params={"per_page": 1}).json()["data"][0]
    api.put(f"/companies/{company['id']}", json={"industry": "Aerospace"})
    conversation = api.get("/conversations", params={"per_page": 1}).json()["conversations"][0]
    admin_id = api.get("/me").json()["id"]
    api.post(
        f"/conversations/{conversation['id']}/reply",
        json={"type": "admin", "message_type": "note", "admin_id": admin_id, "body": "Followed up"},
    )

    second = records(
        run_tap(url, folder, "--catalog", str(folder / "catalog.json"), "--state", str(folder / "state.json"))
    )
    first = records(messages)
    # Besides the writes, the day that passed woke snoozed conversations: the sandbox says what changed.
    listed = {
        "contacts": every(api, "/contacts", "data"),
        "companies": api.get("/companies", params={"per_page": 60}).json()["data"],
        "conversations": every(api, "/conversations", "conversations"),
    }
    for stream, rows in listed.items():
        bookmark = state["bookmarks"][stream]["updated_at"]
        changed = {row["id"] for row in rows if _iso(row["updated_at"]) > bookmark}
        at_bookmark = {row["id"] for row in first[stream] if _iso(row["updated_at"]) == bookmark}
        assert {row["id"] for row in second[stream]} == changed | at_bookmark, stream
        if stream != "conversations":
            # Demo contacts and companies were updated over time: only the newest is on the bookmark.
            assert len(at_bookmark) <= 2, (stream, len(at_bookmark))
    assert {renamed["id"], created["id"]} <= {row["id"] for row in second["contacts"]}
    assert company["id"] in {row["id"] for row in second["companies"]}
    assert conversation["id"] in {row["id"] for row in second["conversations"]}
    note = [part for part in second["conversation_parts"] if part["body"] and "Followed up" in part["body"]]
    assert len(note) == 1 and note[0]["conversation_id"] == conversation["id"]


def every(api: httpx.Client, path: str, key: str) -> list[dict[str, Any]]:
    """Every object of a cursor-paged list."""
    found, cursor = [], None
    while True:
        page = api.get(
            path, params={"per_page": 150, **({"starting_after": cursor} if cursor else {})}
        ).json()
        found += page[key]
        cursor = (page["pages"].get("next") or {}).get("starting_after")
        if not cursor:
            return found


def _iso(value: str | int) -> str:
    """A time as the tap's bookmarks spell it (`2026-12-04T22:29:01.000000Z`): from the sandbox's unix
    seconds, or from the tap's records (`2026-12-04T22:29:01.000000Z` already)."""
    if isinstance(value, int):
        return datetime.fromtimestamp(value, UTC).strftime("%Y-%m-%dT%H:%M:%S.000000Z")
    return value
