"""`verify`: replay a cassette against a fresh sandbox workspace and compare every answer with the recorded
one.

What is compared: the status; then, through the whole JSON body, the keys of every object, the JSON
type of every value, `type` fields, error codes, the key a list is under, the shape of `pages`, list
lengths, and the other values except those expected to differ: timestamps (`*_at`, `*_until`...),
request ids, and the fields of the workspace's own admins, bot and app. Ids are never compared as values:
each id Intercom answered with is mapped to the one the sandbox answered with at the same place, in
order, and later requests are rewritten with the mapped ids (paths, query strings, bodies). An id
that was mapped before must come back mapped the same way (`id` differences).

Before the replay the workspace is prepared from the cassette itself: the admin `GET /me` answered
with becomes the sandbox's owner admin, and contacts, companies and tags that existed before the
recording (named by a request, never created by one) are created from their recorded representation.
The workspace clock follows the recorded times.
"""

import fnmatch
import json
import re
import tomllib
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
from rich.markup import escape
from rich.table import Table

from contracts.versions import DEFAULT_VERSION
from fake_intercom import Sandbox, SandboxWorkspace
from fake_intercom.parity.cassette import (
    RESPONSE_HEADERS,
    Exchange,
    Request,
    decode_content,
    encode_content,
    read_cassette,
)
from fake_intercom.parity.redact import OAUTH_PREFIXES

KINDS: dict[str, str] = {
    "status": "the HTTP status differs",
    "error_code": "the error code differs",
    "missing_key": "Intercom answered with this key, the sandbox did not",
    "extra_key": "the sandbox answered with this key, Intercom did not",
    "list_key": "the list is under another key",
    "type": "the JSON type differs",
    "type_field": "the object's `type` differs",
    "pagination": "the `pages` object has other keys or types",
    "length": "the list has another number of items",
    "value": "the value differs",
    "id": "the id maps to another object than earlier in the replay",
    "header": "a response header differs",
    "body": "one answer has a JSON body, the other has not",
}

# Differences in the structure of an answer; inside `pages` they are told apart as `pagination`.
SHAPE_KINDS = frozenset({"missing_key", "extra_key", "list_key", "type"})
INVALID_TOKEN = "parity-replay-invalid-token"
# Values no two workspaces share; their types are still compared.
VARYING_KEY = re.compile(r"^(request_id|.*_at|.*_until|timestamp|waiting_since)$")
ID_KEY = re.compile(r"^(id|.*_id|.*_ids|id_code|.*identifier|starting_after|scroll_param)$")
# The workspace's own admins, operator bot and app: no two workspaces share their names, emails or
# time zones.
OWN_TYPES = frozenset({"admin", "bot", "app"})
# Mapped ids shorter than this are not rewritten inside text, where they could be any number.
MIN_ID_IN_TEXT = 4
INDEX = re.compile(r"\[\d+\]")

# How an object that existed before the recording is created again: the operation and the fields of
# its recorded representation that go into the body.
SEEDERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "contact": (
        "/contacts",
        (
            "role",
            "email",
            "phone",
            "name",
            "external_id",
            "signed_up_at",
            "last_seen_at",
            "unsubscribed_from_emails",
        ),
    ),
    "company": (
        "/companies",
        ("company_id", "name", "size", "website", "industry", "monthly_spend", "remote_created_at"),
    ),
    "tag": ("/tags", ("name",)),
}


@dataclass
class Difference:
    exchange: int
    request: str
    kind: str
    path: str
    intercom: Any = None
    sandbox: Any = None
    accepted: str | None = None

    @property
    def rule_path(self) -> str:
        """The path without list indexes, as accepted differences name it."""
        return INDEX.sub("[]", self.path)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


# -- accepted differences ----------------------------------------------------------------------


@dataclass
class Acceptance:
    """One reviewed entry of the accepted-differences file."""

    reason: str
    request: str | None = None
    kind: str | None = None
    path: str | None = None
    exchange: int | None = None
    used: int = 0

    def matches(self, difference: Difference) -> bool:
        return (
            (self.exchange is None or self.exchange == difference.exchange)
            and (self.kind is None or self.kind == difference.kind)
            and (self.request is None or fnmatch.fnmatchcase(difference.request, self.request))
            and (self.path is None or fnmatch.fnmatchcase(difference.rule_path, self.path))
        )

    def to_json(self) -> dict[str, Any]:
        entry = {"request": self.request, "kind": self.kind, "path": self.path, "exchange": self.exchange}
        return {**{key: value for key, value in entry.items() if value is not None}, "reason": self.reason}


class AcceptedFileError(ValueError):
    pass


def accepted_path(cassette: str | Path) -> Path:
    """`flows.jsonl` -> `flows.accepted.toml`, beside it."""
    path = Path(cassette)
    return path.with_name(f"{path.stem}.accepted.toml")


def load_accepted(path: str | Path) -> list[Acceptance]:
    """The `[[accept]]` entries of a reviewed file; none when it does not exist."""
    path = Path(path)
    if not path.exists():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise AcceptedFileError(f"{path}: {error}") from error
    unknown_tables = set(data) - {"accept"}
    if unknown_tables:
        raise AcceptedFileError(f"{path}: unknown tables {sorted(unknown_tables)}; only [[accept]]")
    entries = []
    for number, entry in enumerate(data.get("accept", []), 1):
        where = f"{path}: [[accept]] #{number}"
        unknown = set(entry) - {"reason", "request", "kind", "path", "exchange"}
        if unknown:
            raise AcceptedFileError(f"{where}: unknown keys {sorted(unknown)}")
        if not str(entry.get("reason", "")).strip():
            raise AcceptedFileError(f"{where}: needs a reason")
        if entry.get("kind") is not None and entry["kind"] not in KINDS:
            raise AcceptedFileError(f"{where}: kind must be one of {', '.join(KINDS)}")
        if entry.get("exchange") is not None and not isinstance(entry["exchange"], int):
            raise AcceptedFileError(f"{where}: exchange must be a number")
        entries.append(Acceptance(**entry))
    return entries


# -- the report --------------------------------------------------------------------------------


@dataclass
class Report:
    cassette: str
    replayed: int = 0
    differences: list[Difference] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    seeded: list[dict[str, Any]] = field(default_factory=list)
    unused: list[Acceptance] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)

    @property
    def failures(self) -> list[Difference]:
        return [difference for difference in self.differences if difference.accepted is None]

    @property
    def ok(self) -> bool:
        return not self.failures

    def to_json(self) -> dict[str, Any]:
        return {
            "cassette": self.cassette,
            "ok": self.ok,
            "replayed": self.replayed,
            "differences": [d.to_json() for d in self.failures],
            "accepted": [d.to_json() for d in self.differences if d.accepted is not None],
            "skipped": self.skipped,
            "seeded": self.seeded,
            "unused_accepts": [entry.to_json() for entry in self.unused],
            "ids": self.ids,
        }

    def table(self) -> Table:
        title = f"{len(self.failures)} differences in {escape(self.cassette)}"
        table = Table(title=title, title_justify="left")
        for column in ("#", "request", "kind", "path", "Intercom", "sandbox"):
            table.add_column(column, overflow="fold")
        for difference in self.failures:
            table.add_row(
                str(difference.exchange),
                difference.request,
                difference.kind,
                difference.path or ("" if difference.kind == "status" else "(body)"),
                _cell(difference.intercom, absent=difference.kind == "extra_key"),
                _cell(difference.sandbox, absent=difference.kind == "missing_key"),
            )
        return table

    def legend(self) -> list[str]:
        """What each kind of difference in the table means, since "missing" and "extra" have a side."""
        kinds = dict.fromkeys(difference.kind for difference in self.failures)
        return [f"{kind}: {KINDS[kind]}" for kind in kinds]

    def summary(self) -> str:
        accepted = len(self.differences) - len(self.failures)
        parts = [f"{self.replayed} exchanges replayed", f"{len(self.failures)} differences"]
        if accepted:
            parts.append(f"{accepted} accepted")
        if self.seeded:
            parts.append(f"{len(self.seeded)} objects seeded")
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped")
        return ", ".join(parts)


def _cell(value: Any, *, absent: bool) -> str:
    if absent:
        return "(absent)"
    return value if isinstance(value, str) else json.dumps(value)


# -- ids ---------------------------------------------------------------------------------------


class IdMap:
    """Ids Intercom answered with -> the ids the sandbox answered with at the same places, one to one."""

    def __init__(self) -> None:
        self.forward: dict[str, str] = {}
        self.reverse: dict[str, str] = {}
        self._pattern: re.Pattern[str] | None = None
        self._stale = False

    def get(self, recorded: Any) -> str | None:
        return self.forward.get(str(recorded))

    def learn(self, recorded: Any, sandbox: Any) -> None:
        recorded, sandbox = str(recorded), str(sandbox)
        if recorded in self.forward or sandbox in self.reverse:
            return
        self.forward[recorded] = sandbox
        self.reverse[sandbox] = recorded
        if recorded != sandbox and len(recorded) >= MIN_ID_IN_TEXT:
            self._stale = True

    def value(self, value: Any, key: str = "") -> Any:
        """A request's JSON value or query value with recorded ids replaced: short strings and numbers
        only under id keys, where they cannot be a count or a page."""
        if isinstance(value, str):
            return (
                self.forward.get(value, value) if ID_KEY.match(key) or len(value) >= MIN_ID_IN_TEXT else value
            )
        if isinstance(value, int) and not isinstance(value, bool) and ID_KEY.match(key):
            mapped = self.forward.get(str(value))
            return int(mapped) if mapped is not None and mapped.isdigit() else value
        if isinstance(value, list):
            return [self.value(item, key) for item in value]
        if isinstance(value, dict):
            return {name: self.value(item, name) for name, item in value.items()}
        return value

    def path(self, path: str) -> str:
        return "/".join(self.forward.get(segment, segment) for segment in path.split("/"))

    def text(self, text: str) -> str:
        """Recorded text with the ids in it replaced: urls, error messages."""
        if self._stale:
            ids = sorted(
                (old for old, new in self.forward.items() if old != new and len(old) >= MIN_ID_IN_TEXT),
                key=len,
                reverse=True,
            )
            self._pattern = re.compile(
                r"(?<![A-Za-z0-9])(?:" + "|".join(map(re.escape, ids)) + r")(?![A-Za-z0-9])"
            )
            self._stale = False
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda match: self.forward[match.group()], text)


# -- comparing one answer ----------------------------------------------------------------------


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def summary(value: Any, limit: int = 80) -> Any:
    """A value as a report shows it: scalars as they are, containers shortened."""
    if isinstance(value, dict | list):
        text = json.dumps(value, separators=(",", ":"))
        return text if len(text) <= limit else f"{json_type(value)} ({len(value)} items)"
    return value


class Comparison:
    """Compares one recorded answer with the sandbox's, learning ids on the way."""

    def __init__(self, exchange: Exchange, ids: IdMap) -> None:
        self.exchange = exchange
        self.ids = ids
        self.found: list[Difference] = []

    def differ(self, kind: str, path: str, intercom: Any, sandbox: Any) -> None:
        if kind in SHAPE_KINDS and "pages" in re.split(r"[.\[]", path):
            kind = "pagination"
        self.found.append(
            Difference(
                self.exchange.n,
                self.exchange.request.line,
                kind,
                path,
                summary(intercom),
                summary(sandbox),
            )
        )

    def answer(self, status: int, headers: httpx.Headers, content: dict[str, Any]) -> list[Difference]:
        recorded = self.exchange.response
        if recorded.status != status:
            self.differ("status", "", recorded.status, status)
            return self.found
        self.headers(recorded.headers, headers)
        if recorded.is_json and "body" in content:
            self.walk(recorded.json, content["body"], "", "", None)
        elif recorded.is_json or "body" in content or bool(recorded.content) != bool(content):
            self.differ("body", "", _content_kind(recorded.content), _content_kind(content))
        return self.found

    def headers(self, recorded: dict[str, str], actual: httpx.Headers) -> None:
        for name in RESPONSE_HEADERS:
            mine, theirs = recorded.get(name), actual.get(name)
            if name == "content-type" and mine is not None and theirs is not None:
                if _media_type(mine) != _media_type(theirs):
                    self.differ("header", name, _media_type(mine), _media_type(theirs))
            elif (mine is None) != (theirs is None):
                self.differ("header", name, mine, theirs)

    def walk(self, recorded: Any, actual: Any, path: str, key: str, owner: str | None) -> None:
        recorded_type, actual_type = json_type(recorded), json_type(actual)
        if recorded_type != actual_type:
            self.differ("type", path, recorded_type, actual_type)
        elif isinstance(recorded, dict):
            self.walk_object(recorded, actual, path, owner)
        elif isinstance(recorded, list):
            if len(recorded) != len(actual):
                self.differ("length", path, len(recorded), len(actual))
            for index, (mine, theirs) in enumerate(zip(recorded, actual, strict=False)):
                self.walk(mine, theirs, f"{path}[{index}]", key, owner)
        elif VARYING_KEY.match(key):
            return
        elif ID_KEY.match(key):
            self.reference(recorded, actual, path)
        elif owner in OWN_TYPES and key != "type":
            return
        elif recorded != actual and not self.same_text(recorded, actual):
            kind = "type_field" if key == "type" else "error_code" if _is_error_code(path) else "value"
            self.differ(kind, path, recorded, actual)

    def walk_object(
        self, recorded: dict[str, Any], actual: dict[str, Any], path: str, owner: str | None
    ) -> None:
        prefix = f"{path}." if path else ""
        missing = [key for key in recorded if key not in actual]
        extra = [key for key in actual if key not in recorded]
        moved = list(
            zip(
                [key for key in missing if isinstance(recorded[key], list)],
                [key for key in extra if isinstance(actual[key], list)],
                strict=False,
            )
        )
        for mine, theirs in moved:
            self.differ("list_key", f"{prefix}{mine}", mine, theirs)
            missing.remove(mine)
            extra.remove(theirs)
        for key in missing:
            self.differ("missing_key", f"{prefix}{key}", recorded[key], None)
        for key in extra:
            self.differ("extra_key", f"{prefix}{key}", None, actual[key])
        owner = recorded.get("type") if isinstance(recorded.get("type"), str) else owner
        for key, value in recorded.items():
            if key in actual:
                self.walk(value, actual[key], f"{prefix}{key}", key, owner)

    def reference(self, recorded: Any, actual: Any, path: str) -> None:
        if recorded is None:
            return
        mapped = self.ids.get(recorded)
        known_as = self.ids.reverse.get(str(actual))
        if mapped is None and known_as is None:
            self.ids.learn(recorded, actual)
        elif mapped is not None and mapped != str(actual):
            self.differ("id", path, f"{recorded} (replayed as {mapped})", actual)
        elif mapped is None and known_as is not None:
            self.differ("id", path, recorded, f"{actual} (replaying {known_as})")

    def same_text(self, recorded: Any, actual: Any) -> bool:
        if not isinstance(recorded, str) or not isinstance(actual, str):
            return False
        expected = self.ids.text(recorded)
        if expected.startswith(("http://", "https://")) and actual.startswith(("http://", "https://")):
            # Each side names its own host; what a client follows is the path and the query.
            return _local_part(expected) == _local_part(actual)
        return expected == actual


def _is_error_code(path: str) -> bool:
    return INDEX.sub("[]", path) == "errors[].code"


def _local_part(url: str) -> str:
    parsed = httpx.URL(url)
    return parsed.raw_path.decode("ascii", "replace")


def _media_type(content_type: str) -> str:
    return content_type.split(";")[0].strip().lower()


def _content_kind(content: dict[str, Any]) -> str:
    for kind in ("body", "form", "text", "base64"):
        if kind in content:
            return "json" if kind == "body" else kind
    return "empty"


# -- replaying ---------------------------------------------------------------------------------


class Replay:
    """One cassette against one fresh workspace."""

    def __init__(self, exchanges: list[Exchange], workspace: SandboxWorkspace, report: Report) -> None:
        self.exchanges = exchanges
        self.workspace = workspace
        self.report = report
        self.ids = IdMap()
        self.now: int | None = None
        self.client = httpx.Client(
            base_url=workspace.base_url, transport=workspace.sandbox.transport, timeout=60
        )

    def run(self) -> None:
        try:
            if self.exchanges:
                # What existed before the recording is made at its start, not at the time of the replay.
                self.move_clock(self.exchanges[0].at)
            self.map_owner()
            self.seed()
            self.replay()
        finally:
            self.client.close()
            self.report.ids = {old: new for old, new in self.ids.forward.items() if old != new}

    def map_owner(self) -> None:
        """The admin the recorded token belongs to is the workspace's owner in the sandbox."""
        me = recorded_me(self.exchanges)
        owner = self.workspace.info.get("owner_admin_id")
        if me is not None and me.get("id") is not None and owner is not None:
            self.ids.learn(me["id"], owner)

    def seed(self) -> None:
        """Create what the recorded workspace had before the recording and the cassette uses."""
        for recorded_id, recorded in pre_existing(self.exchanges).items():
            path, fields = SEEDERS[recorded["type"]]
            body = {name: recorded[name] for name in fields if recorded.get(name) is not None}
            response = self.client.post(path, json=body, headers=self.headers(None, "token"))
            entry: dict[str, Any] = {
                "type": recorded["type"],
                "id": recorded_id,
                "status": response.status_code,
            }
            if response.is_success:
                sandbox_id = response.json()["id"]
                self.ids.learn(recorded_id, sandbox_id)
                entry["sandbox_id"] = sandbox_id
            else:
                entry["error"] = response.text[:300]
            self.report.seeded.append(entry)

    def move_clock(self, at: float) -> None:
        """The clock stands still at each request's recorded time, so what Intercom computed from the
        time (timestamps, expiries, `created_at_after` windows) computes the same here."""
        second = int(at)
        if self.now is None:
            self.now = self.workspace.clock.freeze(second)
        elif second > self.now:
            self.now = self.workspace.clock.set(second)

    def replay(self) -> None:
        for exchange in self.exchanges:
            request = exchange.request
            if request.path.startswith(OAUTH_PREFIXES):
                self.report.skipped.append(
                    {
                        "exchange": exchange.n,
                        "request": request.line,
                        "reason": "OAuth secrets are not recorded",
                    }
                )
                continue
            self.move_clock(exchange.at)
            response = self.send(request)
            content = encode_content(response.content, response.headers.get("content-type"))
            self.report.differences += Comparison(exchange, self.ids).answer(
                response.status_code, response.headers, content
            )
            self.report.replayed += 1

    def send(self, request: Request) -> httpx.Response:
        content = dict(request.content)
        if "body" in content:
            content["body"] = self.ids.value(content["body"])
        if "form" in content:
            content["form"] = [[key, self.ids.value(value, key)] for key, value in content["form"]]
        return self.client.request(
            request.method,
            self.ids.path(request.path),
            params=[(key, str(self.ids.value(value, key))) for key, value in request.query],
            headers=self.headers(request, request.auth),
            content=decode_content(content),
        )

    def headers(self, request: Request | None, auth: str) -> dict[str, str]:
        headers = dict(request.headers) if request is not None else {"accept": "application/json"}
        if auth == "token":
            headers["authorization"] = f"Bearer {self.workspace.token}"
        elif auth == "other":
            headers["authorization"] = f"Bearer {INVALID_TOKEN}"
        elif auth == "empty":
            headers["authorization"] = ""
        return headers


def recorded_me(exchanges: list[Exchange]) -> dict[str, Any] | None:
    """The first successful `GET /me` answer: the recorded token's admin and app."""
    for exchange in exchanges:
        me = exchange.response.json
        if exchange.request.path == "/me" and exchange.response.status == 200 and isinstance(me, dict):
            return me
    return None


def recorded_app_name(exchanges: list[Exchange]) -> str | None:
    """The recorded workspace's name, which the sandbox puts in brands, help centers and their URLs."""
    app = (recorded_me(exchanges) or {}).get("app")
    name = app.get("name") if isinstance(app, dict) else None
    return name if isinstance(name, str) and name.strip() else None


def pre_existing(exchanges: list[Exchange]) -> dict[str, dict[str, Any]]:
    """Objects of a seedable type that the cassette's requests name but that it did not create, by
    recorded id, each in its fullest recorded representation.

    An object was created by the cassette when it first appears as the whole answer to a POST that
    did not name it; one that first appears anywhere else (a GET, a list, an answer to a request
    naming it) was there before the recording started. Objects no request names (only listed) are
    left out: the replay never asks for them.
    """
    first_seen: set[str] = set()
    created: set[str] = set()
    named: set[str] = set()
    fullest: dict[str, dict[str, Any]] = {}
    for exchange in exchanges:
        body = exchange.response.json
        in_request = request_strings(exchange.request)
        named |= in_request
        for value in _objects(body):
            object_id = str(value["id"])
            if object_id not in first_seen:
                first_seen.add(object_id)
                if exchange.request.method == "POST" and value is body and object_id not in in_request:
                    created.add(object_id)
            if object_id not in created and len(value) > len(fullest.get(object_id, {})):
                fullest[object_id] = value
    return {object_id: value for object_id, value in fullest.items() if object_id in named}


def request_strings(request: Request) -> set[str]:
    """Every value a request names: path segments, query values, and the scalars of its body."""
    found = set(request.path.split("/")) | {value for _, value in request.query}

    def collect(value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)
        elif isinstance(value, str | int) and not isinstance(value, bool):
            found.add(str(value))

    collect(request.json)
    collect(request.content.get("form"))
    return found


def _objects(value: Any) -> Iterator[dict[str, Any]]:
    """Every seedable object in an answer, outermost first."""
    if isinstance(value, dict):
        if value.get("type") in SEEDERS and isinstance(value.get("id"), str | int):
            yield value
        for item in value.values():
            yield from _objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from _objects(item)


def verify(
    cassette: str | Path,
    *,
    sandbox: Sandbox | None = None,
    version: str | None = None,
    accepted: str | Path | None = None,
) -> Report:
    """Replay `cassette` against a fresh workspace of `sandbox` (one in-process by default) and compare.

    Accepted differences come from `accepted` or, by default, the `.accepted.toml` file beside the
    cassette."""
    exchanges = read_cassette(cassette)
    acceptances = load_accepted(accepted if accepted is not None else accepted_path(cassette))
    report = Report(str(cassette))
    own = sandbox is None
    sandbox = sandbox or Sandbox.in_process()
    try:
        workspace = sandbox.create_workspace(
            name=recorded_app_name(exchanges) or "Sandbox Workspace",
            default_version=version or DEFAULT_VERSION,
        )
        try:
            Replay(exchanges, workspace, report).run()
        finally:
            workspace.delete()
    finally:
        if own:
            sandbox.close()
    for difference in report.differences:
        for entry in acceptances:
            if entry.matches(difference):
                entry.used += 1
                difference.accepted = entry.reason
                break
    report.unused = [entry for entry in acceptances if not entry.used]
    return report
