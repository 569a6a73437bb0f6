"""Webhooks: subscriptions, Intercom's envelope and signature, background delivery, retries, the log."""

import hashlib
import hmac
import time
from collections.abc import Iterator

import pytest

from fake_intercom import Sandbox, SandboxError, SandboxWorkspace
from fake_intercom.notifications import notify
from fake_intercom.sandbox_client import IN_PROCESS_URL
from fake_intercom.testing import WebhookReceiver


@pytest.fixture
def sandbox(asgi_transport) -> Iterator[Sandbox]:
    with Sandbox(IN_PROCESS_URL, transport=asgi_transport) as sandbox:
        yield sandbox


@pytest.fixture
def workspace(sandbox: Sandbox) -> Iterator[SandboxWorkspace]:
    workspace = sandbox.create_workspace(oauth_client_secret="the-client-secret")
    yield workspace
    workspace.delete()


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as receiver:
        yield receiver


@pytest.fixture
def retrying() -> Iterator[Sandbox]:
    """A sandbox whose failed deliveries are retried after 0.2 s instead of a minute."""
    with Sandbox.in_process(webhook_retry_delay=0.2, webhook_timeout=2) as sandbox:
        yield sandbox


def test_created_contact_is_delivered_signed_in_intercoms_envelope(
    workspace: SandboxWorkspace, receiver: WebhookReceiver
) -> None:
    workspace.webhooks.subscribe(receiver.url, ["contact.user.created"])
    workspace.clock.freeze(at=1_750_000_000)
    with workspace.client() as client:
        contact = client.post("/contacts", json={"email": "hook@example.com"}).json()
    hook = receiver.wait_for("contact.user.created")
    expected = "sha1=" + hmac.new(b"the-client-secret", hook.body, hashlib.sha1).hexdigest()
    assert hook.headers["x-hub-signature"] == expected
    assert hook.signature_valid("the-client-secret") and not hook.signature_valid("another-secret")
    assert hook.headers["content-type"] == "application/json"
    assert hook.headers["user-agent"] == "intercom-parrot-service-client/1.0"
    envelope = hook.json
    assert envelope["type"] == "notification_event"
    assert envelope["id"].startswith("notif_")
    assert envelope["app_id"] == workspace.id
    assert envelope["created_at"] == 1_750_000_000 == envelope["first_sent_at"]
    assert envelope["delivery_attempts"] == 1
    assert envelope["data"]["type"] == "notification_event_data"
    assert hook.item == contact


def test_only_subscribed_topics_are_sent_and_globs_work(
    workspace: SandboxWorkspace, receiver: WebhookReceiver
) -> None:
    with WebhookReceiver() as every_contact:
        workspace.webhooks.subscribe(receiver.url, ["contact.user.created"])
        workspace.webhooks.subscribe(every_contact.url, ["contact.*"])
        with workspace.client() as client:
            client.post("/contacts", json={"role": "lead", "name": "Lead"})
            client.post("/contacts", json={"email": "user@example.com"})
        every_contact.wait_for("contact.user.created")
        assert [hook.topic for hook in every_contact.received] == [
            "contact.lead.created",
            "contact.user.created",
        ]
    receiver.wait_for("contact.user.created")
    time.sleep(0.1)
    assert [hook.topic for hook in receiver.received] == ["contact.user.created"]


def test_a_failed_write_notifies_nobody_and_the_past_is_not_sent(
    workspace: SandboxWorkspace, receiver: WebhookReceiver
) -> None:
    with workspace.client() as client:
        client.post("/contacts", json={"email": "before@example.com"})
        workspace.webhooks.subscribe(receiver.url, ["contact.*"])
        assert client.post("/contacts", json={"email": "before@example.com"}).status_code == 409
        client.post("/contacts", json={"email": "after@example.com"})
    receiver.wait_for("contact.user.created")
    time.sleep(0.1)
    assert [hook.item["email"] for hook in receiver.received] == ["after@example.com"]


def test_ping_is_always_subscribed(workspace: SandboxWorkspace, receiver: WebhookReceiver) -> None:
    subscription = workspace.webhooks.subscribe(receiver.url, ["contact.user.created"])
    notification_id = workspace.webhooks.ping(subscription["id"])
    hook = receiver.wait_for("ping")
    assert hook.json["id"] == notification_id
    assert hook.item["type"] == "ping"
    assert hook.signature_valid("the-client-secret")


def test_delivery_log(workspace: SandboxWorkspace, receiver: WebhookReceiver) -> None:
    subscription = workspace.webhooks.subscribe(receiver.url, ["contact.user.created"])
    with workspace.client() as client:
        client.post("/contacts", json={"email": "logged@example.com"})
    (delivery,) = workspace.webhooks.wait_for("contact.user.created")
    assert delivery["subscription_id"] == subscription["id"]
    assert (delivery["status"], delivery["delivered"], delivery["attempt"]) == (200, True, 1)
    assert delivery["url"] == receiver.url
    assert delivery["notification"]["data"]["item"]["email"] == "logged@example.com"
    assert workspace.webhooks.deliveries("contact.lead.created") == []


def test_failure_is_retried_once(retrying: Sandbox) -> None:
    workspace = retrying.create_workspace()
    with WebhookReceiver(status=500) as receiver:
        workspace.webhooks.subscribe(receiver.url, ["contact.user.created"])
        with workspace.client() as client:
            client.post("/contacts", json={"email": "flaky@example.com"})
        second = receiver.wait_for("contact.user.created", count=2, timeout=5)
        time.sleep(0.5)
        assert len(receiver.received) == 2
    first = receiver.received[0]
    assert (first.json["delivery_attempts"], second.json["delivery_attempts"]) == (1, 2)
    assert first.json["id"] == second.json["id"]
    assert second.signature_valid(workspace.client_secret)
    log = workspace.webhooks.deliveries()
    assert [(d["attempt"], d["status"], d["delivered"]) for d in log] == [(1, 500, False), (2, 500, False)]


def test_unreachable_receiver_is_logged(retrying: Sandbox) -> None:
    workspace = retrying.create_workspace()
    with WebhookReceiver() as receiver:
        url = receiver.url
    workspace.webhooks.subscribe(url, ["contact.user.created"])
    with workspace.client() as client:
        client.post("/contacts", json={"email": "nobody-home@example.com"})
    log = workspace.webhooks.wait_for("contact.user.created", count=2, timeout=5)
    assert all(d["status"] is None and d["error"] for d in log)


def test_410_disables_the_subscription(retrying: Sandbox) -> None:
    workspace = retrying.create_workspace()
    with WebhookReceiver(status=410) as receiver:
        subscription = workspace.webhooks.subscribe(receiver.url, ["contact.*"])
        with workspace.client() as client:
            client.post("/contacts", json={"email": "gone@example.com"})
            receiver.wait_for("contact.user.created")
            time.sleep(0.4)
            client.post("/contacts", json={"email": "gone-again@example.com"})
        time.sleep(0.3)
        assert len(receiver.received) == 1
    (state,) = workspace.webhooks.subscriptions()
    assert state["id"] == subscription["id"]
    assert state["active"] is False and "410" in state["disabled_reason"]


def test_notifications_from_outside_a_request_are_sent_too(app, workspace, receiver) -> None:
    workspace.webhooks.subscribe(receiver.url, ["custom.topic"])
    store = app.state.store
    with store.atomic():
        notify(store, store.workspace(workspace.id), "custom.topic", {"type": "thing", "id": "1"})
    workspace.webhooks.deliveries()  # reading the log hands over what is waiting
    assert receiver.wait_for("custom.topic").item == {"type": "thing", "id": "1"}


def test_subscriptions_are_listed_removed_and_validated(workspace: SandboxWorkspace, receiver) -> None:
    subscription = workspace.webhooks.subscribe(receiver.url, ["contact.user.created"])
    assert [s["id"] for s in workspace.webhooks.subscriptions()] == [subscription["id"]]
    workspace.webhooks.unsubscribe(subscription["id"])
    assert workspace.webhooks.subscriptions() == []
    with workspace.client() as client:
        client.post("/contacts", json={"email": "unsubscribed@example.com"})
    time.sleep(0.1)
    assert receiver.received == []
    for url in ("not a url", "ftp://example.com/hook", "/relative"):
        with pytest.raises(SandboxError) as invalid:
            workspace.webhooks.subscribe(url, [])
        assert invalid.value.status_code == 400


def test_workspace_without_client_secret_gets_one_for_signing(app, receiver) -> None:
    from tests.conftest import new_workspace

    _, token = new_workspace(app)
    store = app.state.store
    workspace = store.workspace_for_token(token)
    assert workspace.oauth_client_secret is None
    app.state.webhooks.subscribe(workspace, receiver.url, ["ping"])
    secret = store.workspace(workspace.id).oauth_client_secret
    assert secret
    (subscription,) = app.state.webhooks.subscriptions(workspace.id)
    app.state.webhooks.ping(store.workspace(workspace.id), subscription)
    assert receiver.wait_for("ping").signature_valid(secret)


def outcomes(log: list[dict]) -> list[tuple]:
    return [
        (d["notification"]["data"]["item"]["email"], d["attempt"], d["status"], d["outcome"]) for d in log
    ]


def settle(workspace: SandboxWorkspace, count: int) -> list[dict]:
    """The log once `count` entries are in and nothing more arrives right after."""
    workspace.webhooks.wait_for("contact.user.created", count=count, timeout=5)
    time.sleep(0.2)
    return workspace.webhooks.deliveries("contact.user.created")


def test_429_throttles_the_subscription_by_the_workspace_clock(workspace: SandboxWorkspace) -> None:
    start = workspace.clock.freeze(at=1_750_000_000)
    with WebhookReceiver(status=429) as receiver, workspace.client() as client:
        subscription = workspace.webhooks.subscribe(receiver.url, ["contact.user.created"])
        client.post("/contacts", json={"email": "first@example.com"})
        [throttled] = settle(workspace, 1)
        assert (throttled["outcome"], throttled["next_attempt_at"]) == ("throttled", start + 60)
        (state,) = workspace.webhooks.subscriptions()
        assert (state["state"], state["resume_at"], state["active"]) == ("throttled", start + 60, True)
        # While throttled, later notifications wait too: nothing is sent until the clock gets there.
        client.post("/contacts", json={"email": "second@example.com"})
        workspace.clock.advance(59)
        time.sleep(0.2)
        assert len(receiver.received) == 1 and len(workspace.webhooks.deliveries()) == 1
        workspace.clock.advance(2)
        log = settle(workspace, 2)
        assert outcomes(log)[1] == ("first@example.com", 2, 429, "throttled")
        assert log[1]["next_attempt_at"] == start + 61 + 120  # the delay doubles
        receiver.status = 200
        workspace.clock.advance(121)
        log = settle(workspace, 4)
        assert len(receiver.received) == 4
    assert outcomes(log)[2:] == [
        ("first@example.com", 3, 200, "delivered"),
        ("second@example.com", 1, 200, "delivered"),
    ]
    assert [hook.json["delivery_attempts"] for hook in receiver.received] == [1, 2, 3, 1]
    (state,) = workspace.webhooks.subscriptions()
    assert (state["id"], state["state"], state["resume_at"], state["failing_since"]) == (
        subscription["id"],
        "active",
        None,
        None,
    )


def test_sustained_errors_pause_the_subscription_for_15_minutes(retrying: Sandbox) -> None:
    retrying.app.state.webhooks.deliverer.pause_after = 2
    workspace = retrying.create_workspace()
    start = workspace.clock.freeze(at=1_750_000_000)
    with WebhookReceiver(status=500) as receiver, workspace.client() as client:
        workspace.webhooks.subscribe(receiver.url, ["contact.user.created"])
        for name in ("a", "b", "c"):
            client.post("/contacts", json={"email": f"{name}@example.com"})
        log = settle(workspace, 3)
        assert [d["outcome"] for d in log] == ["retrying", "retrying", "paused"]
        (state,) = workspace.webhooks.subscriptions()
        assert (state["state"], state["resume_at"], state["failing_since"]) == ("paused", start + 900, start)
        # The retries fall due during the pause, as does a new notification: all dropped, none sent.
        workspace.clock.advance(1)
        client.post("/contacts", json={"email": "d@example.com"})
        log = settle(workspace, 6)
        assert len(receiver.received) == 3
        assert outcomes(log)[3:] == [
            ("a@example.com", 2, None, "dropped"),
            ("b@example.com", 2, None, "dropped"),
            ("d@example.com", 1, None, "dropped"),
        ]
        receiver.status = 200
        workspace.clock.advance(900)
        client.post("/contacts", json={"email": "e@example.com"})
        log = settle(workspace, 7)
    assert outcomes(log)[-1] == ("e@example.com", 1, 200, "delivered")
    (state,) = workspace.webhooks.subscriptions()
    assert (state["state"], state["failing_since"]) == ("active", None)


def test_seven_days_of_errors_suspend_the_subscription(workspace: SandboxWorkspace) -> None:
    start = workspace.clock.freeze(at=1_750_000_000)
    with WebhookReceiver(status=503) as receiver, workspace.client() as client:
        workspace.webhooks.subscribe(receiver.url, ["contact.user.created"])
        client.post("/contacts", json={"email": "down@example.com"})
        [first] = settle(workspace, 1)
        # The one retry waits a minute of workspace time.
        assert (first["outcome"], first["next_attempt_at"], first["workspace_time"]) == (
            "retrying",
            start + 60,
            start,
        )
        workspace.clock.advance(60)
        log = settle(workspace, 2)
        assert outcomes(log)[1] == ("down@example.com", 2, 503, "failed")
        workspace.clock.advance(days=7)
        client.post("/contacts", json={"email": "still-down@example.com"})
        log = settle(workspace, 3)
        assert outcomes(log)[2] == ("still-down@example.com", 1, 503, "suspended")
        (state,) = workspace.webhooks.subscriptions()
        assert (state["state"], state["active"], state["failing_since"]) == ("suspended", False, start)
        assert "7 days" in state["disabled_reason"]
        receiver.status = 200
        client.post("/contacts", json={"email": "too-late@example.com"})
        time.sleep(0.2)
        assert len(receiver.received) == 3 and len(workspace.webhooks.deliveries()) == 3


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/_sandbox/workspaces/abc/reset",
        "http://localhost:8000/%5Fsandbox/workspaces/abc/reset",
        "http://127.0.0.1:8000//_sandbox/workspaces",
        "http://127.0.0.1:8000/x/../_sandbox/workspaces",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fe80::1]/hook",
        "http://[::ffff:169.254.169.254]/hook",
        "http://metadata.google.internal/computeMetadata/v1/",
        "http://100.100.100.200/latest/meta-data/",
    ],
)
def test_subscriptions_to_the_control_plane_or_metadata_are_refused(
    workspace: SandboxWorkspace, url: str
) -> None:
    with pytest.raises(SandboxError) as refused:
        workspace.webhooks.subscribe(url, ["contact.*"])
    assert refused.value.status_code == 400
    assert workspace.webhooks.subscriptions() == []


def test_target_policies_widen_and_narrow() -> None:
    from fake_intercom.webhooks import target_problem

    assert target_problem("http://127.0.0.1:9000/hooks", "loopback") is None
    assert target_problem("http://10.1.2.3/hooks", "no-link-local") is None
    assert target_problem("http://10.1.2.3/hooks", "loopback") is not None
    assert target_problem("http://169.254.169.254/", "any") is None
    assert target_problem("http://127.0.0.1/_sandbox/workspaces", "any") is not None
