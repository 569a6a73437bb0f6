"""The inspector in a real headless Chromium: search contacts, open a conversation, reply as the contact,
watch a request arrive in the journal, restore a snapshot. Screenshots of the main views are written to
build/inspector-screenshots/.

Chromium is Debian's `chromium` package (or CHROMIUM=/path/to/chrome), driven by Playwright for Python;
nothing is downloaded. Without either, the test skips and says why.
"""

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from fake_intercom import Sandbox, SandboxWorkspace

playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    pytest.skip("no Chromium on this machine (apt-get install chromium)", allow_module_level=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "inspector-screenshots"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Sandbox, SandboxWorkspace]]:
    with Sandbox.serve(seed="demo", token="browser-token") as sandbox:
        yield sandbox, sandbox.workspaces()[0]


@pytest.fixture(scope="module")
def browser() -> Iterator["playwright_api.BrowserContext"]:
    with tempfile.TemporaryDirectory() as profile, playwright_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            viewport={"width": 1280, "height": 860},
        )
        context.set_default_timeout(15_000)
        yield context
        context.close()


def shoot(page: "playwright_api.Page", name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def test_a_day_in_the_inspector(served, browser) -> None:
    sandbox, workspace = served
    page = browser.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    expect = playwright_api.expect

    page.goto(f"{sandbox.base_url}/_sandbox/ui")
    expect(page.get_by_role("heading", name="Workspaces")).to_be_visible()
    shoot(page, "workspaces")
    page.get_by_role("link", name=workspace.info["name"]).click()
    expect(page.get_by_text("browser-token").first).to_be_visible()
    shoot(page, "workspace")

    # Search contacts with the search box (keyboard: "/" focuses it).
    page.get_by_role("link", name="Contacts", exact=True).click()
    page.wait_for_load_state("load")
    page.keyboard.press("/")
    page.keyboard.type("Patel")
    page.keyboard.press("Enter")
    expect(page.locator("#sent-body")).to_contain_text('"operator": "~"')
    names = page.locator("tbody td:first-child a").all_inner_texts()
    assert names and all("patel" in name.lower() for name in names)
    shoot(page, "contacts")

    # The inbox, a conversation, and a reply as its contact.
    page.get_by_role("link", name="Inbox").click()
    expect(page.get_by_role("heading", name="Inbox")).to_be_visible()
    shoot(page, "inbox")
    page.locator(".inbox a").first.click()
    expect(page.locator("#thread")).to_be_visible()
    conversation_id = page.url.rsplit("/", 1)[1]
    page.get_by_label("Message").fill("Sent from the browser test <b>as the contact</b>")
    page.get_by_role("button", name="Send as the contact").click()
    last = page.locator("#thread .part.customer").last
    expect(last).to_contain_text("Sent from the browser test <b>as the contact</b>")
    shoot(page, "conversation")
    with workspace.client() as api:
        parts = api.get(f"/conversations/{conversation_id}").json()["conversation_parts"]
    assert parts["conversation_parts"][-1]["author"]["type"] in ("user", "lead")

    # A request arrives in the journal while the page is open.
    page.get_by_role("link", name="Journal").click()
    expect(page.locator("#live")).to_have_text("Live")
    workspace.faults.add(action="error", status=503, path="/tags", times=1)
    with workspace.client() as api:
        api.get("/tags")
        api.post("/contacts", json={"email": "journal@example.com", "name": "Journal Example"})
        api.get("/contacts/000000000000000000000000")
        api.get("/contacts", params={"per_page": 3})
    expect(page.locator("#journal-rows tr").first).to_contain_text("/contacts")
    expect(page.locator("#journal-rows")).to_contain_text("fault_")
    shoot(page, "journal")
    page.locator("#journal-rows tr a").first.click()
    expect(page.locator("#curl")).to_contain_text("Authorization: Bearer browser-token")

    # Take a snapshot, change the workspace behind the page's back, restore it from the page.
    page.get_by_role("link", name="Overview").click()
    page.get_by_label("Snapshot name").fill("before-browser")
    page.get_by_role("button", name="Take a snapshot").click()
    row = page.locator("tr", has_text="before-browser")
    expect(row).to_be_visible()
    with workspace.client() as api:
        created = api.post("/contacts", json={"email": "restored-away@example.com"}).json()
    row.get_by_role("button", name="Restore").click()
    page.wait_for_load_state("load")
    with workspace.client() as api:
        assert api.get(f"/contacts/{created['id']}").status_code == 404

    # Readable in a narrow window.
    page.set_viewport_size({"width": 400, "height": 800})
    page.goto(f"{sandbox.base_url}/_sandbox/ui/workspaces/{workspace.id}/conversations/{conversation_id}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    shoot(page, "conversation-narrow")
    page.close()


def test_a_page_of_another_site_cannot_drive_it(served, browser) -> None:
    """A page served from another origin posts to the inspector and the control plane: both refuse."""
    sandbox, workspace = served
    page = browser.new_page()
    page.goto("about:blank")
    results = page.evaluate(
        """async (base) => {
            const attempts = [
              [base + "/_sandbox/workspaces/" + WORKSPACE + "/reset", {method: "POST", body: "{}", headers: {"Content-Type": "text/plain"}}],
              [base + "/_sandbox/ui/workspaces/" + WORKSPACE + "/contacts", {method: "POST", body: '{"email": "x@example.com"}', headers: {"Content-Type": "text/plain"}, mode: "no-cors"}],
            ];
            const out = [];
            for (const [url, options] of attempts) {
              try { const r = await fetch(url, options); out.push(r.type + ":" + r.status); } catch (e) { out.push("refused"); }
            }
            return out;
        }""".replace("WORKSPACE", repr(workspace.id)),
        sandbox.base_url,
    )
    assert all(result in ("refused", "opaque:0") for result in results)
    with workspace.client() as api:
        found = api.post(
            "/contacts/search", json={"query": {"field": "email", "operator": "=", "value": "x@example.com"}}
        ).json()
    assert found["total_count"] == 0
    page.close()
    assert httpx.get(f"{sandbox.base_url}/_sandbox/ui/workspaces").status_code == 200
