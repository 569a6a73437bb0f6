"""The inspector behind the control plane's protections, and a browser's login when it has a secret."""

import httpx
import pytest

from fake_intercom import Settings, create_app
from fake_intercom.inspector.session import login_link
from fake_intercom.testing import SyncASGITransport
from tests.inspector.conftest import BASE_URL, assert_page, browser_client

SECRET = "correct horse battery staple"


@pytest.fixture(scope="module")
def guarded():
    app = create_app(Settings(control_secret=SECRET, token="guarded-token"))
    transport = SyncASGITransport(app)
    yield app, transport
    transport.stop()
    app.state.webhooks.close()


def test_pages_answer_only_to_a_loopback_host_name(inspected) -> None:
    with browser_client(inspected.ui._transport, "http://rebound.example:8000") as stranger:
        assert_page(stranger.get("/_sandbox/ui/workspaces"), "loopback host name", status=403)
    with browser_client(inspected.ui._transport, "http://localhost:8000") as local:
        assert_page(local.get("/_sandbox/ui/workspaces"), "Workspaces")


def test_writes_are_json_from_the_same_origin(inspected) -> None:
    path = f"/_sandbox/ui/workspaces/{inspected.workspace_id}/contacts"
    as_form = inspected.ui.post(path, data={"email": "form@example.com"}, headers={"Origin": BASE_URL})
    assert as_form.status_code == 415
    assert as_form.json()["type"] == "error.list"
    cross_site = inspected.ui.post(
        path, json={"email": "x@example.com"}, headers={"Origin": "http://evil.example"}
    )
    assert cross_site.status_code == 403
    fetched = inspected.ui.post(
        path, json={"email": "x@example.com"}, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert fetched.status_code == 403
    assert (
        inspected.api.post(
            "/contacts/search", json={"query": {"field": "email", "operator": "=", "value": "x@example.com"}}
        ).json()["total_count"]
        == 0
    )


def test_closed_on_a_non_loopback_bind_without_a_secret() -> None:
    app = create_app(Settings(host="0.0.0.0"))
    transport = SyncASGITransport(app)
    try:
        with browser_client(transport, "http://10.1.2.3:8000") as browser:
            assert_page(browser.get("/_sandbox/ui/workspaces"), "closed on a non-loopback bind", status=403)
    finally:
        transport.stop()
        app.state.webhooks.close()


def test_a_browser_logs_in_with_the_secret(guarded) -> None:
    _, transport = guarded
    with browser_client(transport) as browser:
        page = browser.get("/_sandbox/ui/workspaces")
        assert page.status_code == 303
        assert page.headers["location"] == "/_sandbox/ui/login"
        assert_page(browser.get("/_sandbox/ui/login"), "Control secret")
        assert browser.get("/_sandbox/workspaces").status_code == 401
        wrong = browser.post("/_sandbox/ui/login", json={"secret": "guess"}, headers={"Origin": BASE_URL})
        assert wrong.status_code == 401
        assert wrong.json()["type"] == "error.list"
        right = browser.post("/_sandbox/ui/login", json={"secret": SECRET}, headers={"Origin": BASE_URL})
        assert right.status_code == 200
        cookie = right.headers["set-cookie"]
        assert "HttpOnly" in cookie
        assert "SameSite=strict" in cookie or "SameSite=Strict" in cookie
        assert "Path=/_sandbox" in cookie
        assert SECRET not in cookie
        assert_page(browser.get("/_sandbox/ui/workspaces"), "guarded-token")
        assert browser.get("/_sandbox/workspaces").status_code == 200  # the control plane takes the session
        assert browser.post("/_sandbox/ui/logout", json={}, headers={"Origin": BASE_URL}).status_code == 200
        assert browser.get("/_sandbox/ui/workspaces").status_code == 303
        assert browser.get("/_sandbox/workspaces").status_code == 401


def test_a_one_time_link_logs_in_once(guarded) -> None:
    app, transport = guarded
    link = login_link(BASE_URL, app.state.browser_sessions.one_time_code())
    assert SECRET not in link
    with browser_client(transport) as browser:
        followed = browser.get(link)
        assert followed.status_code == 303
        assert followed.headers["location"] == "/_sandbox/ui/workspaces"
        assert_page(browser.get("/_sandbox/ui/workspaces"), "guarded-token")
    with browser_client(transport) as other:
        assert_page(other.get(link), "was used already", status=401)
        assert other.get("/_sandbox/ui/workspaces").status_code == 303


def test_the_secret_header_still_works(guarded) -> None:
    _, transport = guarded
    with browser_client(transport) as client:
        assert client.get("/_sandbox/ui/workspaces", headers={"X-Sandbox-Secret": SECRET}).status_code == 200


def test_static_files_and_nothing_else(inspected) -> None:
    css = inspected.ui.get("/_sandbox/ui/static/inspector.css")
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    assert (
        inspected.ui.get("/_sandbox/ui/static/inspector.js")
        .headers["content-type"]
        .startswith("text/javascript")
    )
    for name in ("nope.css", "..%2F__init__.py", "../access.py", "index.html"):
        assert inspected.ui.get(f"/_sandbox/ui/static/{name}").status_code == 404


def test_the_inspector_is_not_in_the_openapi_document(inspected) -> None:
    paths = inspected.app.openapi()["paths"]
    assert not any(path.startswith("/_sandbox/ui") for path in paths)


def test_the_login_page_has_no_secret_in_it(guarded) -> None:
    _, transport = guarded
    with browser_client(transport) as browser:
        assert SECRET not in browser.get("/_sandbox/ui/login").text
    with httpx.Client(base_url=BASE_URL, transport=transport) as api:
        assert api.get("/me", headers={"Authorization": "Bearer guarded-token"}).status_code == 200
