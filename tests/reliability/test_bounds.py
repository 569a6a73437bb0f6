"""Memory stays within its budgets, and the control plane stays out of a web page's reach."""

import httpx

from fake_intercom import Sandbox, Settings, create_app
from fake_intercom.testing import SyncASGITransport

MIB = 1024 * 1024


def test_the_journal_stays_within_its_budgets_across_many_workspaces() -> None:
    settings = Settings(journal_budget_mb=0.5, journal_total_budget_mb=2)
    body = {"role": "user", "email": "big@example.com", "custom_attributes": {"notes": "n" * 60_000}}
    with Sandbox.in_process(settings) as sandbox:
        journal = sandbox.app.state.journal
        workspaces = [sandbox.create_workspace() for _ in range(12)]
        for workspace in workspaces:
            with workspace.client() as client:
                for _ in range(15):
                    client.post("/contacts", json=body)
                    client.get("/contacts")
            assert journal.total_bytes <= 2 * MIB
            assert all(journal._bytes.get(each.id, 0) <= MIB // 2 for each in workspaces)
        newest = workspaces[-1].journal()
        assert newest and newest[-1]["method"] == "GET"  # the newest entries are the ones kept
        assert len(workspaces[0].journal()) < 30  # the oldest workspace's entries went first


BROWSER = [
    {"Host": "attacker.example"},
    {"Origin": "https://attacker.example"},
    {"Sec-Fetch-Site": "cross-site"},
]


def test_a_web_page_cannot_read_or_change_the_control_plane() -> None:
    with Sandbox.serve() as sandbox, httpx.Client(base_url=sandbox.base_url) as browser:
        workspace = sandbox.create_workspace()
        for headers in BROWSER:
            assert browser.get("/_sandbox/workspaces", headers=headers).status_code == 403
            assert (
                browser.post(f"/_sandbox/workspaces/{workspace.id}/reset", headers=headers).status_code == 403
            )
        form = {"Content-Type": "text/plain"}
        assert (
            browser.post(
                f"/_sandbox/workspaces/{workspace.id}/reset", content=b"{}", headers=form
            ).status_code
            == 415
        )
        assert (
            browser.get("/_sandbox/workspaces").status_code == 200
        )  # httpx, curl and the client are welcome
    with httpx.Client(base_url="http://t", transport=SyncASGITransport(create_app())) as in_process:
        assert in_process.get("/_sandbox/workspaces").status_code == 200
