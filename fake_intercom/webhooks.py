"""Webhook subscriptions and signed delivery of the notifications resources record (notifications.py).

The server's SQLite connection belongs to the event loop thread. So the loop thread reads the outbox
after each committed write (`dispatch`), builds each subscription's job (envelope, client secret), and
hands it to one delivery thread that only does HTTP and keeps the delivery log in memory. Delivery
follows Intercom's rules (FIDELITY §8): `X-Hub-Signature: sha1=<HMAC-SHA1 of the raw body, keyed by the
app's client secret>`, a 5 s timeout, one retry after a minute, a 410 disables the subscription, and
`ping` is always subscribed.
"""

import fnmatch
import hashlib
import heapq
import hmac
import itertools
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson

from fake_intercom.store import Store, Workspace, loads

USER_AGENT = "intercom-parrot-service-client/1.0"


def signature(body: bytes, client_secret: str) -> str:
    """The `X-Hub-Signature` header value for `body`."""
    return "sha1=" + hmac.new(client_secret.encode(), body, hashlib.sha1).hexdigest()


@dataclass
class Subscription:
    id: str
    workspace_id: str
    url: str
    topics: list[str]
    created_at: int
    active: bool = True
    disabled_reason: str | None = None

    def wants(self, topic: str) -> bool:
        return self.active and (
            topic == "ping" or any(fnmatch.fnmatchcase(topic, pattern) for pattern in self.topics)
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": "sandbox.webhook_subscription",
            "id": self.id,
            "url": self.url,
            "topics": self.topics,
            "created_at": self.created_at,
            "active": self.active,
            "disabled_reason": self.disabled_reason,
        }


@dataclass(order=True)
class _Job:
    due: float
    order: int
    subscription: Subscription = field(compare=False)
    secret: str = field(compare=False)
    envelope: dict[str, Any] = field(compare=False)
    attempt: int = field(default=1, compare=False)


class Deliverer:
    """One background thread posting jobs when they are due; the log is read from other threads."""

    def __init__(self, timeout: float, retry_delay: float, log_size: int = 1_000) -> None:
        self.timeout = timeout
        self.retry_delay = retry_delay
        self.log_size = log_size
        self._jobs: list[_Job] = []
        self._order = itertools.count()
        self._ids = itertools.count(1)
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False
        self._log: dict[str, deque[dict[str, Any]]] = {}

    def submit(self, subscription: Subscription, secret: str, envelope: dict[str, Any]) -> None:
        self._schedule(_Job(time.monotonic(), next(self._order), subscription, secret, envelope))

    def deliveries(self, workspace_id: str) -> list[dict[str, Any]]:
        with self._wake:
            return list(self._log.get(workspace_id, ()))

    def pending(self, workspace_id: str) -> int:
        with self._wake:
            return sum(1 for job in self._jobs if job.subscription.workspace_id == workspace_id)

    def clear(self, workspace_id: str) -> None:
        with self._wake:
            self._log.pop(workspace_id, None)
            self._jobs = [job for job in self._jobs if job.subscription.workspace_id != workspace_id]
            heapq.heapify(self._jobs)

    def close(self) -> None:
        with self._wake:
            self._closed = True
            self._wake.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=self.timeout + 1)

    def _schedule(self, job: _Job) -> None:
        with self._wake:
            if self._closed:
                return
            heapq.heappush(self._jobs, job)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, daemon=True, name="fake-intercom-webhooks")
                self._thread.start()
            self._wake.notify()

    def _next_job(self) -> _Job | None:
        with self._wake:
            while not self._closed:
                if self._jobs:
                    wait = self._jobs[0].due - time.monotonic()
                    if wait <= 0:
                        return heapq.heappop(self._jobs)
                    self._wake.wait(wait)
                else:
                    self._wake.wait()
            return None

    def _run(self) -> None:
        with httpx.Client(timeout=self.timeout, headers={"User-Agent": USER_AGENT}) as http:
            while (job := self._next_job()) is not None:
                self._attempt(http, job)

    def _attempt(self, http: httpx.Client, job: _Job) -> None:
        envelope = {**job.envelope, "delivery_attempts": job.attempt}
        body = orjson.dumps(envelope)
        sent_at = time.time()
        status: int | None = None
        error: str | None = None
        try:
            response = http.post(
                job.subscription.url,
                content=body,
                headers={"Content-Type": "application/json", "X-Hub-Signature": signature(body, job.secret)},
            )
            status = response.status_code
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
        ok = status is not None and 200 <= status < 300
        self._record(job, envelope, status, error, sent_at)
        if ok or not job.subscription.active:
            return
        if status == 410:
            job.subscription.active = False
            job.subscription.disabled_reason = "the receiver answered 410 Gone"
            return
        if job.attempt == 1:
            self._schedule(
                _Job(
                    time.monotonic() + self.retry_delay,
                    next(self._order),
                    job.subscription,
                    job.secret,
                    job.envelope,
                    attempt=2,
                )
            )

    def _record(
        self, job: _Job, envelope: dict[str, Any], status: int | None, error: str | None, sent_at: float
    ) -> None:
        entry = {
            "type": "sandbox.webhook_delivery",
            "id": next(self._ids),
            "subscription_id": job.subscription.id,
            "notification_id": envelope["id"],
            "topic": envelope["topic"],
            "url": job.subscription.url,
            "attempt": job.attempt,
            "status": status,
            "error": error,
            "delivered": status is not None and 200 <= status < 300,
            "sent_at": round(sent_at, 6),
            "duration_ms": round((time.time() - sent_at) * 1000, 3),
            "notification": envelope,
        }
        with self._wake:
            log = self._log.setdefault(job.subscription.workspace_id, deque(maxlen=self.log_size))
            log.append(entry)


class Webhooks:
    """Subscriptions (in memory: they configure this server) and the bridge from the outbox to delivery."""

    def __init__(self, store: Store, timeout: float = 5.0, retry_delay: float = 60.0) -> None:
        self.store = store
        self.deliverer = Deliverer(timeout, retry_delay)
        self._subscriptions: dict[str, list[Subscription]] = {}
        self._ids = itertools.count(1)
        # Notifications recorded before this server started were never meant for its subscriptions.
        self._seen = int(store.scalar("SELECT MAX(seq) FROM notifications") or 0)

    @property
    def active(self) -> bool:
        return bool(self._subscriptions)

    def subscribe(self, workspace: Workspace, url: str, topics: list[str]) -> Subscription:
        # What happened before the subscription existed is not sent to it.
        self.dispatch()
        ensure_client_secret(self.store, workspace)
        subscription = Subscription(
            f"sub_{next(self._ids)}", workspace.id, url, list(topics), self.store.now(workspace)
        )
        self._subscriptions.setdefault(workspace.id, []).append(subscription)
        return subscription

    def subscriptions(self, workspace_id: str) -> list[Subscription]:
        return list(self._subscriptions.get(workspace_id, ()))

    def subscription(self, workspace_id: str, subscription_id: str) -> Subscription | None:
        return next((s for s in self.subscriptions(workspace_id) if s.id == subscription_id), None)

    def unsubscribe(self, workspace_id: str, subscription_id: str) -> bool:
        subscriptions = self._subscriptions.get(workspace_id, [])
        kept = [s for s in subscriptions if s.id != subscription_id]
        if kept:
            self._subscriptions[workspace_id] = kept
        else:
            self._subscriptions.pop(workspace_id, None)
        return len(kept) != len(subscriptions)

    def forget(self, workspace_id: str) -> None:
        """A deleted workspace: its subscriptions, queued deliveries and log."""
        self._subscriptions.pop(workspace_id, None)
        self.deliverer.clear(workspace_id)

    def dispatch(self) -> None:
        """Hand every committed notification not yet seen to the subscriptions that want it.
        Runs on the thread that owns the store."""
        rows = self.store.query(
            "SELECT workspace_id, id, seq, topic, created_at, data FROM notifications WHERE seq > ? ORDER BY seq",
            (self._seen,),
        )
        if not rows:
            return
        self._seen = rows[-1]["seq"]
        for row in rows:
            subscribers = [
                s for s in self._subscriptions.get(row["workspace_id"], ()) if s.wants(row["topic"])
            ]
            workspace = self.store.workspace(row["workspace_id"]) if subscribers else None
            if workspace is None:
                continue
            envelope = _envelope(
                workspace,
                row["id"],
                row["topic"],
                row["created_at"],
                loads(row["data"]),
                self.store.now(workspace),
            )
            for subscription in subscribers:
                self.deliverer.submit(subscription, workspace.oauth_client_secret or "", envelope)

    def ping(self, workspace: Workspace, subscription: Subscription) -> str:
        now = self.store.now(workspace)
        notification_id = f"notif_ping_{secrets.token_hex(8)}"
        item = {"type": "ping", "message": "Hello from fake-intercom: this is a test notification."}
        envelope = _envelope(workspace, notification_id, "ping", now, item, now)
        self.deliverer.submit(subscription, workspace.oauth_client_secret or "", envelope)
        return notification_id

    def close(self) -> None:
        self.deliverer.close()


def ensure_client_secret(store: Store, workspace: Workspace) -> Workspace:
    """Every Intercom app has a client secret, which signs its notifications; give one to a workspace
    created without OAuth credentials."""
    if workspace.oauth_client_secret:
        return workspace
    return store.update_workspace(workspace, oauth_client_secret=secrets.token_hex(20))


def _envelope(
    workspace: Workspace, notification_id: str, topic: str, created_at: int, item: Any, sent_at: int
) -> dict[str, Any]:
    return {
        "type": "notification_event",
        "id": notification_id,
        "topic": topic,
        "app_id": workspace.id,
        "created_at": created_at,
        "delivery_attempts": 1,
        "first_sent_at": sent_at,
        "data": {"type": "notification_event_data", "item": item},
    }
