"""The request journal: every request the workspace's API received, live, filterable, each with its
bodies and a curl command that sends it again."""

import asyncio
import shlex
import time
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import Depends, Request
from starlette.responses import Response, StreamingResponse

from fake_intercom.errors import not_found, parameter_invalid
from fake_intercom.inspector.access import inspector_router
from fake_intercom.inspector.api import workspace_page
from fake_intercom.inspector.render import templates
from fake_intercom.journal import RECORDED_HEADERS, Entry
from fake_intercom.sandbox.access import store_of, workspace_of
from fake_intercom.sandbox.journal import journal_of
from fake_intercom.sandbox.workspaces import describe

SHOWN = 100
POLL_SECONDS = 0.25
KEEPALIVE_SECONDS = 5.0
# A stream ends by itself now and then (the browser reconnects where it left off, by Last-Event-ID),
# so that no open page keeps a stopping server waiting.
STREAM_SECONDS = 10.0

router = inspector_router()


@dataclass
class Filters:
    """The journal's filters as a page's query string has them (empty: any)."""

    method: str = ""
    status: str = ""
    path: str = ""
    operation: str = ""

    def __post_init__(self) -> None:
        if self.status and not (self.status.isdigit() and 100 <= int(self.status) <= 599):
            raise parameter_invalid("status must be an HTTP status", field="status")

    def selection(self) -> dict[str, Any]:
        """As `Journal.entries` takes them."""
        return {
            "method": self.method.strip().upper() or None,
            "status": int(self.status) if self.status else None,
            "path": self.path.strip() or None,
            "operation_id": self.operation.strip() or None,
        }


BODY_FILE = "body.json"


def as_curl(entry: Entry, base_url: str) -> str:
    """The request again, from a shell, as it was sent: its token, the recorded headers (curl's own
    defaults taken away where the request had none) and its body's bytes. A body the journal cut (or
    one that is not text) cannot be given inline: the command reads it from a file and says so."""
    url = base_url + entry.path
    if entry.query:
        url += "?" + entry.query.decode("latin-1")
    words = ["curl", "-X", entry.method, url, "-H", f"Authorization: Bearer {entry.token}"]
    for _, name in RECORDED_HEADERS:
        value = entry.request_headers.get(name)
        if value is not None:
            # `Name;` is curl's spelling of a header sent empty; `Name: ` would drop it.
            words += ["-H", f"{name}: {value}" if value else f"{name};"]
        elif name == "Accept" or (name == "Content-Type" and entry.request_size):
            words += ["-H", f"{name}:"]  # curl would add its own
    note = ""
    if entry.request_size:
        text = _text(entry.request_body) if entry.request_size == len(entry.request_body) else None
        if text is not None:
            words += ["--data-raw", text]
        else:
            words += ["--data-binary", f"@{BODY_FILE}"]
            note = (
                f"# The journal kept {len(entry.request_body)} of the {entry.request_size} bytes of this "
                f"request's body: save the whole body as {BODY_FILE} first.\n"
                if entry.request_size > len(entry.request_body)
                else f"# This request's body is not UTF-8 text: save it as {BODY_FILE} first.\n"
            )
    return note + " ".join(shlex.quote(word) for word in words)


def _text(body: bytes) -> str | None:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


@router.get("/workspaces/{workspace_id}/journal")
async def journal(workspace_id: str, request: Request, filters: Filters = Depends()) -> Response:
    workspace = workspace_of(request, workspace_id)
    entries = journal_of(request).entries(workspace.id, **filters.selection(), limit=SHOWN)
    rows = [entry.as_dict() for entry in reversed(entries)]
    return workspace_page(
        request,
        "journal.html",
        describe(store_of(request), workspace),
        nav="journal",
        rows=rows,
        filters=filters,
        stream_query=urlencode(asdict(filters)),
        last_id=entries[-1].id if entries else 0,
    )


@router.get("/workspaces/{workspace_id}/journal/stream")
async def stream(
    workspace_id: str, request: Request, filters: Filters = Depends(), after: str = "0"
) -> Response:
    """Server-sent events: each new matching entry as a table row."""
    workspace = workspace_of(request, workspace_id)
    selection = filters.selection()
    resume = request.headers.get("last-event-id") or after
    last = int(resume) if resume.isdigit() else 0
    log = journal_of(request)
    row = templates().get_template("journal_row.html")

    async def events() -> AsyncIterator[str]:
        nonlocal last
        yield "retry: 1000\n\n"
        started = quiet_since = time.monotonic()
        while time.monotonic() - started < STREAM_SECONDS:
            for entry in log.entries(workspace.id, **selection, after=last):
                last = entry.id
                html = row.render(row=entry.as_dict(), workspace_id=workspace.id)
                data = "".join(f"data: {line}\n" for line in html.splitlines())
                yield f"id: {entry.id}\nevent: entry\n{data}\n"
                quiet_since = time.monotonic()
            if time.monotonic() - quiet_since > KEEPALIVE_SECONDS:
                yield ": still here\n\n"
                quiet_since = time.monotonic()
            await asyncio.sleep(POLL_SECONDS)

    return StreamingResponse(events(), media_type="text/event-stream", headers={"X-Accel-Buffering": "no"})


@router.get("/workspaces/{workspace_id}/journal/{entry_id}")
async def show_entry(workspace_id: str, entry_id: str, request: Request) -> Response:
    workspace = workspace_of(request, workspace_id)
    found = next(
        (entry for entry in journal_of(request).entries(workspace.id) if str(entry.id) == entry_id), None
    )
    if found is None:
        raise not_found("Request Not Found")
    return workspace_page(
        request,
        "journal_entry.html",
        describe(store_of(request), workspace),
        nav="journal",
        entry=found.as_dict(),
        curl=as_curl(found, str(request.base_url).rstrip("/")),
    )
