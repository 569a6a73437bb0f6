import json
import shlex
import time
from html import unescape as html_unescape

import httpx

from fake_intercom import Sandbox
from tests.inspector.conftest import TOKEN, assert_page


def rows(html: str) -> str:
    return html.split('id="journal-rows"')[1].split("</tbody>")[0]


def test_requests_newest_first_with_filters(inspected) -> None:
    inspected.api.get("/admins")
    inspected.api.post("/contacts", json={"email": f"journal-{time.time_ns()}@example.com"})
    inspected.api.get("/contacts/0123456789abcdef01234567")
    html = assert_page(inspected.page("/journal"), "/admins", "CreateContact", "404")
    assert html.index("/contacts/0123456789abcdef01234567") < html.index("/admins")
    only_posts = rows(assert_page(inspected.page("/journal", method="POST")))
    assert "CreateContact" in only_posts
    assert "listAdmins" not in only_posts
    not_found = rows(assert_page(inspected.page("/journal", status="404")))
    assert "/contacts/0123456789abcdef01234567" in not_found
    assert "CreateContact" not in not_found
    assert "listAdmins" in rows(assert_page(inspected.page("/journal", path="/admins*")))
    assert "/admins" not in rows(assert_page(inspected.page("/journal", operation="CreateContact")))
    assert_page(inspected.page("/journal", status="abc"), "status must be an HTTP status", status=400)


def test_the_inspectors_own_requests_are_not_journaled(inspected) -> None:
    before = len(inspected.ui.get(f"/_sandbox/workspaces/{inspected.workspace_id}/journal").json()["data"])
    inspected.page("/contacts")
    after = len(inspected.ui.get(f"/_sandbox/workspaces/{inspected.workspace_id}/journal").json()["data"])
    assert after == before


def curl_of(inspected, entry_id: int, *texts: str) -> str:
    html = assert_page(inspected.page(f"/journal/{entry_id}"), *texts)
    return html_unescape(html.split('<pre id="curl">')[1].split("</pre>")[0])


def last_entry(inspected, operation_id: str) -> dict:
    return inspected.ui.get(
        f"/_sandbox/workspaces/{inspected.workspace_id}/journal", params={"operation_id": operation_id}
    ).json()["data"][-1]


def test_an_entry_with_its_bodies_and_curl(inspected) -> None:
    email = f"curl-{time.time_ns()}@example.com"
    inspected.api.post("/contacts", json={"email": email}, params={"note": "a b"})
    entry = last_entry(inspected, "CreateContact")
    words = shlex.split(curl_of(inspected, entry["id"], email, "Request body", "Response body"))
    assert words[:4] == ["curl", "-X", "POST", "http://127.0.0.1:8000/contacts?note=a+b"]
    assert f"Authorization: Bearer {TOKEN}" in words
    assert json.loads(words[words.index("--data-raw") + 1]) == {"email": email}


def test_curl_sends_the_recorded_headers_token_and_bytes(inspected) -> None:
    """Not the workspace's first token and default version: what the request really carried."""
    control = f"/_sandbox/workspaces/{inspected.workspace_id}"
    other_token = inspected.ui.post(f"{control}/tokens", json={}).json()["token"]
    raw = f'{{"name":  "Spaced"  ,"email":"spaced-{time.time_ns()}@example.com"}}'
    inspected.api.post(
        "/contacts",
        content=raw.encode(),
        headers={
            "Authorization": f"Bearer {other_token}",
            "Intercom-Version": "2.16",
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
        },
    )
    words = shlex.split(curl_of(inspected, last_entry(inspected, "CreateContact")["id"]))
    headers = [words[index + 1] for index, word in enumerate(words) if word == "-H"]
    assert sorted(headers) == sorted(
        [
            f"Authorization: Bearer {other_token}",
            "Intercom-Version: 2.16",
            "Content-Type: application/json; charset=utf-8",
            "Accept: application/json",
        ]
    )
    assert words[words.index("--data-raw") + 1] == raw  # the bytes sent, not the JSON re-encoded
    bare = inspected.api.build_request("GET", "/admins", headers={"Intercom-Version": ""})
    del bare.headers["Accept"]
    inspected.api.send(bare)
    words = shlex.split(curl_of(inspected, last_entry(inspected, "listAdmins")["id"]))
    headers = [words[index + 1] for index, word in enumerate(words) if word == "-H"]
    # No Accept was sent, so curl's own is taken away (`Accept:`); an empty header is sent empty
    # (`Intercom-Version;`, curl's way to say so).
    assert sorted(headers) == sorted([f"Authorization: Bearer {TOKEN}", "Accept:", "Intercom-Version;"])


def test_curl_of_a_cut_body_says_so_instead_of_replaying_the_marker(inspected) -> None:
    inspected.api.post("/contacts", json={"email": "cut@example.com", "name": "x" * 100_000})
    entry = last_entry(inspected, "CreateContact")
    assert entry["request_truncated"]
    curl = curl_of(inspected, entry["id"])
    assert "truncated" not in curl.split("curl ", 1)[1] and "x" * 100 not in curl
    assert f"kept {64 * 1024} of the {entry['request_size']} bytes" in curl
    words = shlex.split(curl, comments=True)
    assert words[-2:] == ["--data-binary", "@body.json"]


def test_an_unknown_entry_is_a_404_page(inspected) -> None:
    assert_page(inspected.page("/journal/99999999"), "Request Not Found", status=404)


def test_new_requests_arrive_as_server_sent_events() -> None:
    with Sandbox.serve(token="stream-token") as sandbox:
        workspace = sandbox.workspaces()[0]
        url = f"{sandbox.base_url}/_sandbox/ui/workspaces/{workspace.id}/journal/stream"
        with (
            httpx.Client(timeout=10) as browser,
            browser.stream("GET", url, params={"path": "/tags"}) as stream,
            workspace.client() as api,
        ):
            assert stream.headers["content-type"].startswith("text/event-stream")
            api.get("/admins")
            api.get("/tags")
            lines = []
            for line in stream.iter_lines():
                lines.append(line)
                if line.startswith("data:") and "/tags" in line:
                    break
        assert "event: entry" in lines
        assert not any("/admins" in line for line in lines)
        event_id = next(line for line in lines if line.startswith("id: "))
        with httpx.Client(timeout=10) as browser:
            headers = {"Last-Event-ID": event_id.split(": ")[1]}
            with browser.stream("GET", url, headers=headers) as resumed, workspace.client() as api:
                api.get("/me")
                for line in resumed.iter_lines():
                    assert "/tags" not in line
                    if line.startswith("data:") and "/me" in line:
                        break
