"""Webhook subscriptions and signed delivery of the notifications resources record (notifications.py).

The server's SQLite connection belongs to the event loop thread. So the loop thread reads the outbox
after each committed write (`dispatch`), builds each subscription's job (envelope, client secret), and
hands it to one delivery thread that only does HTTP and keeps the delivery log in memory. Delivery
follows Intercom's rules (FIDELITY §8.1-8.3, D:/docs/webhooks/webhook-notifications):

- `X-Hub-Signature: sha1=<HMAC-SHA1 of the raw body, keyed by the app's client secret>`, a 5 s
  timeout, `ping` always subscribed;
- a failed notification is retried once, a minute later; a 410 disables the subscription;
- a 429 throttles the subscription: its notifications wait, the first time 1 minute, doubling on each
  429 in a row up to 2 hours; a notification still refused after the longest wait is dropped;
- more than 1,000 errors in a row within 15 minutes pause the subscription for 15 minutes: what falls
  due meanwhile is dropped (Intercom lists paused notifications as missing, not delayed);
- a receiver that has answered nothing but errors for more than 7 days suspends the subscription.

Every wait runs on the workspace clock, so a test advances the clock rather than sleeping. The loop
thread tells the delivery thread where each subscribed workspace's clock stands on every dispatch (the
control plane's clock moves dispatch too); jobs waiting for a frozen clock wait until it moves. The
subscription's `state` (active, throttled, paused, suspended, disabled) and `resume_at`, and each log
entry's `outcome` and `next_attempt_at`, show all this through the control plane.
"""

import fnmatch
import hashlib
import heapq
import hmac
import ipaddress
import itertools
import math
import posixpath
import secrets
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import httpx
import orjson

from fake_intercom.settings import WebhookTargets
from fake_intercom.store import Store, Workspace, loads

USER_AGENT = "intercom-parrot-service-client/1.0"
THROTTLE_FIRST_SECONDS = 60
THROTTLE_MAX_SECONDS = 2 * 3_600
PAUSE_AFTER_ERRORS = 1_000
PAUSE_WINDOW_SECONDS = 15 * 60
PAUSE_SECONDS = 15 * 60
SUSPEND_AFTER_SECONDS = 7 * 86_400
# States in which a subscription takes no new notifications.
ENDED = ("suspended", "disabled")


# Cloud metadata services outside the link-local range (AWS over IPv6, Alibaba), and their names.
METADATA_ADDRESSES = frozenset(ipaddress.ip_address(a) for a in ("fd00:ec2::254", "100.100.100.200"))
METADATA_NAMES = frozenset({"metadata", "metadata.google.internal", "metadata.goog"})
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def target_problem(url: str, policy: WebhookTargets) -> str | None:
    """Why notifications may not be posted to `url` under `policy`, or None when they may.

    Never the sandbox's own control plane (a notification would reset a workspace); unless the policy
    is `any`, never a link-local or cloud-metadata address; under `loopback`, only this machine. Host
    names are resolved, so a name pointing at a refused address is refused too (checked again before
    each delivery, as the name may have changed).
    """
    try:
        parts = httpx.URL(url)
    except httpx.InvalidURL:
        return "url must be an absolute http(s) URL"
    if parts.scheme not in ("http", "https") or not parts.host:
        return "url must be an absolute http(s) URL"
    path = posixpath.normpath("/" + unquote(unquote(parts.path)).lstrip("/"))
    if path == "/_sandbox" or path.startswith("/_sandbox/"):
        return "url must not be the sandbox's own control plane (/_sandbox)"
    if policy == "any":
        return None
    host = parts.host.lower().rstrip(".")
    if host in METADATA_NAMES:
        return f"url must not be a cloud metadata service ({host})"
    addresses = _addresses(host)
    for address in addresses:
        mapped = getattr(address, "ipv4_mapped", None) or address
        if mapped.is_link_local or mapped in METADATA_ADDRESSES:
            return f"url must not be a link-local or cloud metadata address ({address})"
        if policy == "loopback" and not mapped.is_loopback:
            return f"url must be a loopback address under the loopback policy, not {address}"
    if policy == "loopback" and not addresses:
        return f"url must be a loopback address under the loopback policy; {host} does not resolve"
    return None


def _addresses(host: str) -> list[Address]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return []  # a name that does not resolve now is judged when a delivery is attempted
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in found]


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
    state: str = "active"
    disabled_reason: str | None = None
    # Workspace time a throttle or a pause ends.
    resume_at: int | None = None
    # Workspace time of the first failure since the last success.
    failing_since: int | None = None
    throttle_seconds: int = 0
    error_run: int = 0
    error_run_started: int | None = None

    @property
    def active(self) -> bool:
        return self.state not in ENDED

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
            "state": self.state,
            "resume_at": self.resume_at,
            "failing_since": self.failing_since,
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
    # Workspace time before which the job must not run (None: as soon as it is due).
    not_before: float | None = field(default=None, compare=False)
    retried: bool = field(default=False, compare=False)


class Deliverer:
    """One background thread posting jobs when they are due; the log is read from other threads."""

    def __init__(
        self,
        timeout: float,
        retry_delay: float,
        log_size: int = 1_000,
        targets: WebhookTargets = "no-link-local",
    ) -> None:
        self.timeout = timeout
        self.retry_delay = retry_delay
        self.targets = targets
        self.log_size = log_size
        self.pause_after = PAUSE_AFTER_ERRORS
        self._jobs: list[_Job] = []
        self._order = itertools.count()
        self._ids = itertools.count(1)
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False
        self._log: dict[str, deque[dict[str, Any]]] = {}
        # Each workspace's clock as (frozen_at, offset), set by the loop thread.
        self._clocks: dict[str, tuple[int | None, int]] = {}

    def submit(self, subscription: Subscription, secret: str, envelope: dict[str, Any]) -> None:
        self._schedule(_Job(time.monotonic(), next(self._order), subscription, secret, envelope))

    def set_clock(self, workspace: Workspace) -> None:
        """Where `workspace`'s clock stands; jobs waiting on it are rescheduled when it moved."""
        clock = (workspace.clock_frozen_at, workspace.clock_offset or 0)
        with self._wake:
            if self._clocks.get(workspace.id) == clock:
                return
            self._clocks[workspace.id] = clock
            for job in self._jobs:
                if job.subscription.workspace_id == workspace.id and job.not_before is not None:
                    job.due = self._due(workspace.id, job.not_before)
            heapq.heapify(self._jobs)
            self._wake.notify()

    def now(self, workspace_id: str) -> float:
        """The workspace clock, as far as the loop thread has told."""
        frozen_at, offset = self._clocks.get(workspace_id, (None, 0))
        return float(frozen_at) if frozen_at is not None else time.time() + offset

    def deliveries(self, workspace_id: str) -> list[dict[str, Any]]:
        with self._wake:
            return list(self._log.get(workspace_id, ()))

    def pending(self, workspace_id: str) -> int:
        with self._wake:
            return sum(1 for job in self._jobs if job.subscription.workspace_id == workspace_id)

    def clear(self, workspace_id: str) -> None:
        with self._wake:
            self._log.pop(workspace_id, None)
            self._clocks.pop(workspace_id, None)
            self._jobs = [job for job in self._jobs if job.subscription.workspace_id != workspace_id]
            heapq.heapify(self._jobs)

    def close(self) -> None:
        with self._wake:
            self._closed = True
            self._wake.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=self.timeout + 1)

    def _due(self, workspace_id: str, not_before: float) -> float:
        """The monotonic time at which the workspace clock reaches `not_before` (inf: a frozen clock short of it)."""
        frozen_at, offset = self._clocks.get(workspace_id, (None, 0))
        if frozen_at is not None:
            return time.monotonic() if frozen_at >= not_before else math.inf
        return time.monotonic() + max(0.0, not_before - (time.time() + offset))

    def _later(self, job: _Job, not_before: float, **changes: Any) -> None:
        """Run `job` again (with `changes`) once the workspace clock reaches `not_before`."""
        workspace_id = job.subscription.workspace_id
        with self._wake:
            due = self._due(workspace_id, not_before)
        self._schedule(
            _Job(
                due,
                next(self._order),
                job.subscription,
                job.secret,
                job.envelope,
                attempt=changes.get("attempt", job.attempt),
                not_before=not_before,
                retried=changes.get("retried", job.retried),
            )
        )

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
                if not self._jobs:
                    self._wake.wait()
                    continue
                job = self._jobs[0]
                wait = job.due - time.monotonic()
                if wait > 0:
                    self._wake.wait(None if math.isinf(wait) else wait)
                    continue
                heapq.heappop(self._jobs)
                workspace_id = job.subscription.workspace_id
                if job.not_before is not None and self.now(workspace_id) < job.not_before:
                    # A running clock read a hair early: wait the rest.
                    job.due = self._due(workspace_id, job.not_before)
                    heapq.heappush(self._jobs, job)
                    continue
                return job
            return None

    def _run(self) -> None:
        with httpx.Client(timeout=self.timeout, headers={"User-Agent": USER_AGENT}) as http:
            while (job := self._next_job()) is not None:
                self._attempt(http, job)

    def _attempt(self, http: httpx.Client, job: _Job) -> None:
        subscription = job.subscription
        now = self.now(subscription.workspace_id)
        envelope = {**job.envelope, "delivery_attempts": job.attempt}
        if not subscription.active:
            self._record(job, envelope, None, f"subscription {subscription.state}", now, "dropped")
            return
        if subscription.state in ("throttled", "paused") and subscription.resume_at is not None:
            if now < subscription.resume_at:
                if subscription.state == "throttled":
                    self._later(job, subscription.resume_at)
                else:
                    self._record(job, envelope, None, "subscription paused", now, "dropped")
                return
            subscription.state, subscription.resume_at = "active", None
        problem = target_problem(subscription.url, self.targets)
        if problem is not None:
            self._record(job, envelope, None, problem, now, "dropped")
            return
        body = orjson.dumps(envelope)
        sent_at = time.time()
        status: int | None = None
        error: str | None = None
        try:
            response = http.post(
                subscription.url,
                content=body,
                headers={"Content-Type": "application/json", "X-Hub-Signature": signature(body, job.secret)},
            )
            status = response.status_code
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
        if status is not None and 200 <= status < 300:
            subscription.failing_since = subscription.error_run_started = None
            subscription.throttle_seconds = subscription.error_run = 0
            self._record(job, envelope, status, error, now, "delivered", sent_at=sent_at)
            return
        if status == 410:
            subscription.state = "disabled"
            subscription.disabled_reason = "the receiver answered 410 Gone"
            self._record(job, envelope, status, error, now, "disabled", sent_at=sent_at)
            return
        outcome, next_at = self._failed(job, status, int(now))
        self._record(job, envelope, status, error, now, outcome, sent_at=sent_at, next_attempt_at=next_at)

    def _failed(self, job: _Job, status: int | None, now: int) -> tuple[str, int | None]:
        """Apply Intercom's rules to a failed attempt; (the log's outcome, when the job runs again)."""
        subscription = job.subscription
        if subscription.failing_since is None:
            subscription.failing_since = now
        if now - subscription.failing_since > SUSPEND_AFTER_SECONDS:
            subscription.state, subscription.resume_at = "suspended", None
            subscription.disabled_reason = "the receiver has answered with errors for more than 7 days"
            return "suspended", None
        if status == 429:
            if subscription.throttle_seconds >= THROTTLE_MAX_SECONDS:
                subscription.state, subscription.resume_at = "throttled", now + THROTTLE_MAX_SECONDS
                return "dropped", None
            subscription.throttle_seconds = min(
                THROTTLE_MAX_SECONDS, 2 * subscription.throttle_seconds or THROTTLE_FIRST_SECONDS
            )
            subscription.state = "throttled"
            subscription.resume_at = now + subscription.throttle_seconds
            self._later(job, subscription.resume_at, attempt=job.attempt + 1)
            return "throttled", subscription.resume_at
        started = subscription.error_run_started
        if started is None or now - started > PAUSE_WINDOW_SECONDS:
            subscription.error_run, subscription.error_run_started = 0, now
        subscription.error_run += 1
        if subscription.error_run > self.pause_after:
            subscription.state, subscription.resume_at = "paused", now + PAUSE_SECONDS
            subscription.error_run, subscription.error_run_started = 0, None
            return "paused", None
        if not job.retried:
            retry_at = self.now(subscription.workspace_id) + self.retry_delay
            self._later(job, retry_at, attempt=job.attempt + 1, retried=True)
            return "retrying", math.ceil(retry_at)
        return "failed", None

    def _record(
        self,
        job: _Job,
        envelope: dict[str, Any],
        status: int | None,
        error: str | None,
        now: float,
        outcome: str,
        *,
        sent_at: float | None = None,
        next_attempt_at: int | None = None,
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
            "delivered": outcome == "delivered",
            "outcome": outcome,
            "workspace_time": int(now),
            "next_attempt_at": next_attempt_at,
            "sent_at": round(sent_at if sent_at is not None else time.time(), 6),
            "duration_ms": round((time.time() - sent_at) * 1000, 3) if sent_at is not None else 0.0,
            "notification": envelope,
        }
        with self._wake:
            log = self._log.setdefault(job.subscription.workspace_id, deque(maxlen=self.log_size))
            log.append(entry)


class Webhooks:
    """Subscriptions (in memory: they configure this server) and the bridge from the outbox to delivery."""

    def __init__(
        self,
        store: Store,
        timeout: float = 5.0,
        retry_delay: float = 60.0,
        targets: WebhookTargets = "no-link-local",
    ) -> None:
        self.store = store
        self.targets = targets
        self.deliverer = Deliverer(timeout, retry_delay, targets=targets)
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
        workspace = ensure_client_secret(self.store, workspace)
        self.deliverer.set_clock(workspace)
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
        if self.store.in_transaction:  # inside a control-plane call: what it writes is not committed yet
            return
        for workspace_id in list(self._subscriptions):
            subscribed = self.store.workspace(workspace_id)
            if subscribed is not None:
                self.deliverer.set_clock(subscribed)
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
        self.deliverer.set_clock(workspace)
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
