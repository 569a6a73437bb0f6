"""The cassette: one JSON line per exchange, oldest first.

```json
{"n": 1, "at": 1767225600.5,
 "request": {"method": "POST", "path": "/contacts", "query": [["per_page", "2"]], "auth": "token",
             "headers": {"intercom-version": "2.15", "content-type": "application/json"},
             "body": {"email": "person-1@example.com"}},
 "response": {"status": 200, "headers": {"content-type": "application/json; charset=utf-8"},
              "body": {"type": "contact", "id": "6762f0d01bb69f9f2193bb7d", "...": "..."}}}
```

A request or response carries its content as exactly one of `body` (JSON), `form` (urlencoded pairs),
`text` or `base64`, or none of them when it was empty. `auth` says which credentials the request
carried, never their value: `token` (the workspace's token), `other` (any other bearer or scheme),
`empty` (an empty Authorization header) or `none` (no header).
"""

import base64
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qsl, urlencode

Auth = Literal["token", "other", "empty", "none"]

# What a replay must send again and what a comparison looks at; everything else (cookies, tracing,
# user agents, and Authorization above all) is left out of the cassette.
REQUEST_HEADERS = ("intercom-version", "content-type", "accept")
RESPONSE_HEADERS = (
    "content-type",
    "link",
    "location",
    "retry-after",
    "www-authenticate",
    "content-disposition",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
)


@dataclass
class Message:
    """The part of a request or response both sides share: headers that matter and the content."""

    headers: dict[str, str] = field(default_factory=dict)
    content: dict[str, Any] = field(default_factory=dict)

    @property
    def json(self) -> Any:
        return self.content.get("body")

    @property
    def is_json(self) -> bool:
        return "body" in self.content

    @property
    def empty(self) -> bool:
        return not self.content

    def raw(self) -> bytes:
        return decode_content(self.content)


@dataclass
class Request(Message):
    method: str = "GET"
    path: str = "/"
    query: list[tuple[str, str]] = field(default_factory=list)
    auth: Auth = "token"

    @property
    def line(self) -> str:
        """`METHOD /path`, how reports and accepted differences name a request."""
        return f"{self.method} {self.path}"


@dataclass
class Response(Message):
    status: int = 200


@dataclass
class Exchange:
    n: int
    at: float
    request: Request
    response: Response

    def to_json(self) -> dict[str, Any]:
        request = self.request
        response = self.response
        return {
            "n": self.n,
            "at": self.at,
            "request": {
                "method": request.method,
                "path": request.path,
                "query": [list(pair) for pair in request.query],
                "auth": request.auth,
                "headers": request.headers,
                **request.content,
            },
            "response": {"status": response.status, "headers": response.headers, **response.content},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Exchange":
        request = data["request"]
        response = data["response"]
        return cls(
            n=int(data["n"]),
            at=float(data["at"]),
            request=Request(
                method=request["method"],
                path=request["path"],
                query=[(str(key), str(value)) for key, value in request.get("query", [])],
                auth=request.get("auth", "token"),
                headers=request.get("headers", {}),
                content=_content_of(request),
            ),
            response=Response(
                status=int(response["status"]),
                headers=response.get("headers", {}),
                content=_content_of(response),
            ),
        )


CONTENT_KEYS = ("body", "form", "text", "base64")


def _content_of(message: dict[str, Any]) -> dict[str, Any]:
    return {key: message[key] for key in CONTENT_KEYS if key in message}


def encode_content(raw: bytes, content_type: str | None) -> dict[str, Any]:
    """Bytes on the wire as the cassette keeps them: JSON when they parse, form pairs, text, or base64."""
    if not raw:
        return {}
    media_type = (content_type or "").split(";")[0].strip().lower()
    try:
        text = raw.decode()
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(raw).decode()}
    if media_type == "application/x-www-form-urlencoded":
        return {"form": [list(pair) for pair in parse_qsl(text, keep_blank_values=True)]}
    if media_type.endswith("json") or not media_type:
        try:
            return {"body": json.loads(text)}
        except ValueError:
            pass
    return {"text": text}


def decode_content(content: dict[str, Any]) -> bytes:
    if "body" in content:
        return json.dumps(content["body"]).encode()
    if "form" in content:
        return urlencode([tuple(pair) for pair in content["form"]]).encode()
    if "text" in content:
        return str(content["text"]).encode()
    if "base64" in content:
        return base64.b64decode(content["base64"])
    return b""


def pick_headers(headers: Iterable[tuple[str, str]], wanted: tuple[str, ...]) -> dict[str, str]:
    return {name.lower(): value for name, value in headers if name.lower() in wanted}


def read_cassette(path: str | Path) -> list[Exchange]:
    with open(path, encoding="utf-8") as lines:
        return list(parse_lines(lines, str(path)))


def loads_cassette(text: str) -> list[Exchange]:
    return list(parse_lines(text.splitlines(), "cassette"))


def parse_lines(lines: Iterable[str], source: str) -> Iterator[Exchange]:
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield Exchange.from_json(json.loads(line))
        except (ValueError, KeyError, TypeError) as error:
            raise CassetteError(f"{source}, line {number}: not an exchange ({error})") from error


def write_cassette(path: str | Path, exchanges: Iterable[Exchange]) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for exchange in exchanges:
            out.write(dump_line(exchange))


def dump_line(exchange: Exchange) -> str:
    return json.dumps(exchange.to_json(), ensure_ascii=False, separators=(",", ":")) + "\n"


class CassetteError(ValueError):
    pass
