"""`verify` reports each kind of difference precisely, maps ids, honours reviewed accepted differences,
and prepares the workspace a real cassette expects."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from fake_intercom.cli import app as cli
from fake_intercom.parity.cassette import Response, loads_cassette, read_cassette, write_cassette
from fake_intercom.parity.verify import AcceptedFileError, verify
from tests.parity.flows import CASSETTES, record_flow

LIFECYCLE = CASSETTES / "contacts.contact_is_created_read_updated_and_deleted.jsonl"
SEARCH = CASSETTES / "contacts.contacts_are_searched_by_field.jsonl"
UNKNOWN = CASSETTES / "contacts.unknown_contact_is_user_not_found.jsonl"


def tampered(tmp_path: Path, cassette: Path, n: int, edit: Callable[[Response], Any]) -> Path:
    """A copy of `cassette` with the recorded answer of exchange `n` edited."""
    exchanges = read_cassette(cassette)
    edit(exchanges[n - 1].response)
    path = tmp_path / "tampered.jsonl"
    write_cassette(path, exchanges)
    return path


def found(report) -> list[tuple[int, str, str]]:
    return [(d.exchange, d.kind, d.path) for d in report.differences]


def set_status(status: int) -> Callable[[Response], None]:
    def edit(response: Response) -> None:
        response.status = status

    return edit


def add_key(response: Response) -> None:
    response.json["favourite_colour"] = "green"


def drop_key(response: Response) -> None:
    del response.json["phone"]


def change_type(response: Response) -> None:
    response.json["unsubscribed_from_emails"] = "no"


def change_value(response: Response) -> None:
    response.json["role"] = "lead"


def change_object_type(response: Response) -> None:
    response.json["location"]["type"] = "place"


def rename_list_key(response: Response) -> None:
    response.json["contacts"] = response.json.pop("data")


def drop_next_page(response: Response) -> None:
    del response.json["pages"]["next"]


def next_page_as_url(response: Response) -> None:
    response.json["pages"]["next"] = "https://api.intercom.io/contacts/search?page=2"


def drop_item(response: Response) -> None:
    response.json["data"].pop()


def change_error_code(response: Response) -> None:
    response.json["errors"][0]["code"] = "user_not_found"


def change_error_message(response: Response) -> None:
    response.json["errors"][0]["message"] = "Contact Not Found"


def change_id(response: Response) -> None:
    response.json["id"] = "0123456789abcdef01234567"


def drop_rate_limit_header(response: Response) -> None:
    del response.headers["x-ratelimit-limit"]


@pytest.mark.parametrize(
    ("cassette", "n", "edit", "expected"),
    [
        (LIFECYCLE, 2, set_status(404), (2, "status", "")),
        (LIFECYCLE, 2, add_key, (2, "missing_key", "favourite_colour")),
        (LIFECYCLE, 2, drop_key, (2, "extra_key", "phone")),
        (LIFECYCLE, 2, change_type, (2, "type", "unsubscribed_from_emails")),
        (LIFECYCLE, 3, change_value, (3, "value", "role")),
        (LIFECYCLE, 2, change_object_type, (2, "type_field", "location.type")),
        (LIFECYCLE, 2, change_id, (2, "id", "id")),
        (LIFECYCLE, 2, drop_rate_limit_header, (2, "header", "x-ratelimit-limit")),
        (SEARCH, 5, rename_list_key, (5, "list_key", "contacts")),
        (SEARCH, 5, drop_next_page, (5, "pagination", "pages.next")),
        (SEARCH, 5, next_page_as_url, (5, "pagination", "pages.next")),
        (SEARCH, 4, drop_item, (4, "length", "data")),
        (UNKNOWN, 3, change_error_code, (3, "error_code", "errors[0].code")),
        (UNKNOWN, 3, change_error_message, (3, "value", "errors[0].message")),
    ],
    ids=lambda value: getattr(value, "__name__", None) if callable(value) else None,
)
def test_each_difference_is_reported_as_exactly_that(tmp_path, sandbox, cassette, n, edit, expected) -> None:
    assert verify(cassette, sandbox=sandbox).ok
    report = verify(tampered(tmp_path, cassette, n, edit), sandbox=sandbox)
    assert found(report) == [expected]
    assert not report.ok


def lifecycle(api: httpx.Client) -> None:
    """create -> list by cursor -> get -> update -> search -> delete, as an app would."""
    made = [api.post("/contacts", json={"email": f"mapped-{n}@example.com"}).json() for n in range(3)]
    first = api.get("/contacts", params={"per_page": 2}).json()
    cursor = first["pages"]["next"]["starting_after"]
    api.get("/contacts", params={"per_page": 2, "starting_after": cursor})
    contact_id = made[0]["id"]
    api.get(f"/contacts/{contact_id}")
    api.put(f"/contacts/{contact_id}", json={"name": "Renamed"})
    query = {
        "operator": "OR",
        "value": [{"field": "id", "operator": "=", "value": c["id"]} for c in made[:2]],
    }
    api.post("/contacts/search", json={"query": query})
    for contact in made:
        api.delete(f"/contacts/{contact['id']}")
    api.get(f"/contacts/{contact_id}")


def test_ids_are_mapped_through_paths_query_strings_and_bodies(tmp_path, sandbox) -> None:
    path = tmp_path / "lifecycle.jsonl"
    path.write_text(record_flow(lifecycle, sandbox))
    exchanges = read_cassette(path)
    report = verify(path, sandbox=sandbox)
    assert found(report) == [] and report.replayed == len(exchanges) == 12
    recorded_ids = [exchange.response.json["id"] for exchange in exchanges[:3]]
    cursor = exchanges[4].request.query[1]
    assert cursor[0] == "starting_after"
    # A fresh workspace answers with other ids and cursors; every later request was sent with them.
    assert set(recorded_ids) | {cursor[1]} <= set(report.ids)
    assert not set(recorded_ids) & set(report.ids.values())


def test_a_request_left_unmapped_shows_where_the_replay_went_astray(tmp_path, sandbox) -> None:
    """Without the mapping the search body names a contact the sandbox never made: it finds one less."""
    path = tmp_path / "lifecycle.jsonl"
    path.write_text(record_flow(lifecycle, sandbox))
    exchanges = read_cassette(path)
    exchanges[7].request.content["body"]["query"]["value"][0]["value"] = "ffffffffffffffffffffffff"
    write_cassette(path, exchanges)
    assert found(verify(path, sandbox=sandbox)) == [(8, "length", "data"), (8, "value", "total_count")]


def test_accepted_differences_are_listed_apart_and_stale_ones_noticed(tmp_path, sandbox) -> None:
    path = tampered(tmp_path, LIFECYCLE, 3, change_value)
    (tmp_path / "tampered.accepted.toml").write_text(
        "# reviewed\n"
        "[[accept]]\n"
        'request = "PUT /contacts/*"\n'
        'kind = "value"\n'
        'path = "role"\n'
        'reason = "this workspace turns renamed users into leads"\n'
        "\n"
        "[[accept]]\n"
        'kind = "status"\n'
        'reason = "no longer happens"\n'
    )
    report = verify(path, sandbox=sandbox)
    assert report.ok and report.failures == []
    assert [(d.kind, d.accepted) for d in report.differences] == [
        ("value", "this workspace turns renamed users into leads")
    ]
    assert [entry.reason for entry in report.unused] == ["no longer happens"]


@pytest.mark.parametrize(
    "text",
    [
        '[[accept]]\nkind = "value"\n',
        '[[accept]]\nkind = "colour"\nreason = "x"\n',
        '[[accept]]\nreason = "x"\nwhen = "always"\n',
        '[varies]\npath = "x"\n',
        "[[accept]\n",
    ],
    ids=["no reason", "unknown kind", "unknown key", "unknown table", "not toml"],
)
def test_a_malformed_accepted_file_is_refused(tmp_path, text: str) -> None:
    accepted = tmp_path / "accepted.toml"
    accepted.write_text(text)
    with pytest.raises(AcceptedFileError):
        verify(LIFECYCLE, accepted=accepted)


def test_a_real_workspace_cassette_finds_its_owner_and_its_earlier_contacts(tmp_path, sandbox) -> None:
    """Intercom's answers name an admin and a contact that existed before the recording, with ids of
    Intercom's: the owner is the sandbox's owner admin, the contact is made again from its recorded
    representation."""
    state: dict[str, str] = {}

    def flow(api: httpx.Client) -> None:
        state["contact"] = api.post(
            "/contacts", json={"email": "earlier@example.com", "role": "lead"}
        ).json()["id"]
        api.get(f"/contacts/{state['contact']}")
        state["admin"] = api.get("/me").json()["id"]
        api.get(f"/admins/{state['admin']}")

    text = record_flow(flow, sandbox)
    text = text.replace(state["contact"], "6762f0d01bb69f9f2193bb7d").replace(state["admin"], "991267459")
    path = tmp_path / "real.jsonl"
    # The contact was made before the recording started: its creation is not in the cassette.
    write_cassette(path, loads_cassette(text)[1:])
    report = verify(path, sandbox=sandbox)
    assert found(report) == [] and report.replayed == 3
    assert [(entry["type"], entry["id"], entry["status"]) for entry in report.seeded] == [
        ("contact", "6762f0d01bb69f9f2193bb7d", 200)
    ]
    assert {"6762f0d01bb69f9f2193bb7d", "991267459"} <= set(report.ids)


def test_oauth_exchanges_are_skipped(tmp_path, sandbox) -> None:
    exchange = {
        "n": 1,
        "at": 1_767_225_600,
        "request": {
            "method": "POST",
            "path": "/auth/eagle/token",
            "query": [],
            "auth": "none",
            "headers": {},
        },
        "response": {"status": 200, "headers": {}, "body": {"token": "[redacted]"}},
    }
    path = tmp_path / "oauth.jsonl"
    path.write_text(json.dumps(exchange) + "\n")
    report = verify(path, sandbox=sandbox)
    assert report.ok and report.replayed == 0
    assert [skipped["request"] for skipped in report.skipped] == ["POST /auth/eagle/token"]


def test_the_command_prints_a_table_or_json_and_fails_on_differences(tmp_path) -> None:
    runner = CliRunner()
    clean = runner.invoke(cli, ["verify", str(LIFECYCLE)])
    assert clean.exit_code == 0, clean.output
    assert "6 exchanges replayed, 0 differences" in clean.output

    path = tampered(tmp_path, LIFECYCLE, 2, add_key)
    table = runner.invoke(cli, ["verify", str(path)], terminal_width=200)
    assert table.exit_code == 1
    assert "missing_key" in table.output and "favourite_colour" in table.output

    as_json = runner.invoke(cli, ["verify", str(path), "--json"])
    assert as_json.exit_code == 1
    report = json.loads(as_json.output)
    assert [(d["kind"], d["path"], d["intercom"]) for d in report["differences"]] == [
        ("missing_key", "favourite_colour", "green")
    ]


def test_the_command_explains_what_it_cannot_read(tmp_path) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"n": 1}\n')
    result = CliRunner().invoke(cli, ["verify", str(broken)])
    assert result.exit_code == 2 and "line 1: not an exchange" in " ".join(result.output.split())
    version = CliRunner().invoke(cli, ["verify", str(LIFECYCLE), "--version", "9.9"])
    assert version.exit_code == 2 and "9.9" in version.output
