"""The hostile and malformed inputs every build is held to: each must be answered with a 4xx error.list
and leave nothing written. One table, used by the reliability tests and by `make stress`."""

from dataclasses import dataclass, field

JSON = {"Content-Type": "application/json"}
TOO_DEEP = 5_000


@dataclass(frozen=True)
class Hostile:
    """A request the sandbox must refuse: `body` is sent as raw bytes."""

    name: str
    method: str
    path: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=lambda: dict(JSON))
    control: bool = False  # a control-plane call: `{workspace}` in the path is the workspace's id


def _contact(fields: bytes) -> bytes:
    return b'{"role": "user", "email": "hostile@example.com", ' + fields + b"}"


def _each(prefix: str, method: str, path: str, bodies: dict[str, bytes], **options: object) -> list[Hostile]:
    return [Hostile(f"{prefix}: {name}", method, path, body, **options) for name, body in bodies.items()]  # type: ignore[arg-type]


SYNTAX = {
    "empty body": b"",
    "whitespace": b"  \n ",
    "open brace": b"{",
    "close brace": b"}",
    "top-level null": b"null",
    "top-level number": b"1",
    "top-level string": b'"contact"',
    "top-level array": b"[]",
    "trailing comma": b'{"role": "user", "email": "a@example.com",}',
    "single quotes": b"{'role': 'user'}",
    "unquoted keys": b"{role: user}",
    "comment": b'{"role": "user" // a comment\n}',
    "byte order mark": b'\xef\xbb\xbf{"role": "user", "email": "bom@example.com"}',
    "utf-16": '{"role": "user", "email": "u16@example.com"}'.encode("utf-16"),
    "latin-1 byte": b'{"role": "user", "email": "a@example.com", "name": "\xe9"}',
    "invalid utf-8": b'{"role": "user", "email": "a@example.com", "name": "\xff\xfe"}',
    "overlong utf-8": b'{"role": "user", "email": "a@example.com", "name": "\xc0\xaf"}',
    "truncated escape": b'{"name": "\\u12"}',
    "bad escape": b'{"name": "\\x41"}',
    "raw control character": b'{"role": "user", "email": "a@example.com", "name": "a\x01b"}',
    "two documents": b'{"role": "user"}{"role": "lead"}',
}

NUMBERS = {
    "NaN": _contact(b'"custom_attributes": {"n": NaN}'),
    "Infinity": _contact(b'"custom_attributes": {"n": Infinity}'),
    "-Infinity": _contact(b'"custom_attributes": {"n": -Infinity}'),
    "1e999": _contact(b'"signed_up_at": 1e999'),
    "-1e999": _contact(b'"last_seen_at": -1e999'),
    "2**64": _contact(b'"signed_up_at": 18446744073709551616'),
    "-(2**64)": _contact(b'"signed_up_at": -18446744073709551616'),
    "10**30 in an attribute": _contact(b'"custom_attributes": {"n": 1000000000000000000000000000000}'),
    "2**63 as a date": _contact(b'"signed_up_at": 9223372036854775808'),
    "float date": _contact(b'"signed_up_at": "yesterday"'),
}

SURROGATES = {
    "lone high in name": _contact(b'"name": "\\ud800"'),
    "lone low in name": _contact(b'"name": "\\udfff"'),
    "reversed pair in name": _contact(b'"name": "\\udc00\\ud800"'),
    "raw surrogate bytes in name": _contact(b'"name": "\xed\xa0\x80"'),
    "lone surrogate in email": b'{"role": "user", "email": "\\ud800@example.com"}',
    "lone surrogate in attribute key": _contact(b'"custom_attributes": {"\\ud800": 1}'),
    "lone surrogate in attribute value": _contact(b'"custom_attributes": {"plan": "\\udbff"}'),
    "lone surrogate in a key": b'{"role": "user", "\\ud800": 1}',
}

TYPES = {
    "email as number": b'{"role": "user", "email": 42}',
    "email as list": b'{"role": "user", "email": ["a@example.com"]}',
    "email as object": b'{"role": "user", "email": {"address": "a@example.com"}}',
    "email as bool": b'{"role": "user", "email": true}',
    "role as number": b'{"role": 1, "email": "a@example.com"}',
    "role unknown": b'{"role": "admin", "email": "a@example.com"}',
    "name as list": _contact(b'"name": ["Ada"]'),
    "name as object": _contact(b'"name": {"first": "Ada"}'),
    "custom_attributes as list": _contact(b'"custom_attributes": [1, 2]'),
    "custom_attributes as string": _contact(b'"custom_attributes": "plan=pro"'),
    "undefined custom attribute": _contact(b'"custom_attributes": {"never_defined": 1}'),
    "avatar not a url": _contact(b'"avatar": "javascript:alert(1)"'),
    "duplicate keys, last invalid": b'{"role": "user", "email": "a@example.com", "role": "nope"}',
    "signed_up_at as string": _contact(b'"signed_up_at": "2024-01-01"'),
}


def _nested(depth: int, inner: bytes = b"1") -> bytes:
    return b"[" * depth + inner + b"]" * depth


SIZES_AND_NESTING = {
    "name 256 characters": _contact(b'"name": "' + b"n" * 256 + b'"'),
    "email 300 characters": b'{"role": "user", "email": "' + b"e" * 290 + b'@x.example"}',
    "phone 300 characters": _contact(b'"phone": "' + b"1" * 300 + b'"'),
    "external_id 300 characters": _contact(b'"external_id": "' + b"x" * 300 + b'"'),
    "attribute key 256 characters": _contact(b'"custom_attributes": {"' + b"k" * 256 + b'": 1}'),
    "attribute value 300 KiB": _contact(b'"custom_attributes": {"notes": "' + b"v" * 300_000 + b'"}'),
    "arrays nested 5,000 deep": _contact(b'"custom_attributes": {"n": ' + _nested(TOO_DEEP) + b"}"),
    "objects nested 5,000 deep": _contact(
        b'"custom_attributes": ' + b'{"a": ' * TOO_DEEP + b"1" + b"}" * TOO_DEEP
    ),
    "body nested 100,000 deep": _nested(100_000),
    "100,000 keys": _contact(
        b'"custom_attributes": {' + b", ".join(b'"k%d": 1' % i for i in range(100_000)) + b"}"
    ),
    "5 MiB body": _contact(b'"name": "' + b"z" * (5 * 1024 * 1024) + b'"'),
}

CONTENT_TYPES = {
    "text/plain": {"Content-Type": "text/plain"},
    "form-urlencoded": {"Content-Type": "application/x-www-form-urlencoded"},
    "multipart": {"Content-Type": "multipart/form-data; boundary=xyz"},
    "xml": {"Content-Type": "application/xml"},
    "no content type": {},
}
VALID_CONTACT = b'{"role": "user", "email": "typed@example.com"}'

PATHS = [
    ("GET", "/contacts/"),
    ("GET", "/contacts/%2F%2F"),
    ("GET", "/contacts/..%2F_sandbox%2Fworkspaces"),
    ("GET", "/contacts/%00"),
    ("GET", "/contacts/%ZZ"),
    ("GET", "//contacts"),
    ("GET", "/contacts/" + "a" * 10_000),
    ("GET", "/contacts/a%2Fb"),
    ("GET", "/contacts/%ed%a0%80"),
    ("GET", "/contacts?per_page=-1"),
    ("GET", "/contacts?per_page=abc"),
    ("GET", "/contacts?per_page=1000000000000000000000000000000"),
    ("GET", "/contacts?starting_after=not-a-cursor"),
    ("GET", "/articles?page=100000000000000000000"),
    ("GET", "/no/such/route"),
    ("PATCH", "/contacts"),
    ("DELETE", "/contacts"),
    ("GET", "/conversations/not-a-number"),
    ("DELETE", "/contacts/000000000000000000000000"),
]

SEARCHES = {
    "search value lone surrogate": b'{"query": {"field": "name", "operator": "=", "value": "\\ud800"}}',
    "search without query": b"{}",
    "search field unknown": b'{"query": {"field": "no_such_field", "operator": "=", "value": "x"}}',
    "search operator unknown": b'{"query": {"field": "name", "operator": "~~", "value": "x"}}',
    "search nested too deep": b'{"query": {"operator": "AND", "value": [{"operator": "OR", "value": [{"operator": "AND", "value": [{"field": "name", "operator": "=", "value": "x"}]}]}]}}',
    "search per_page huge": b'{"query": {"field": "name", "operator": "=", "value": "x"}, "pagination": {"per_page": 1000000}}',
}

TAGS = {
    "tag name lone surrogate": b'{"name": "\\ud800"}',
    "tag name 300 characters": b'{"name": "' + b"t" * 300 + b'"}',
    "tag name as object": b'{"name": {"x": 1}}',
    "tag without name": b"{}",
}

HEADERS = [
    ("unknown Intercom-Version", {"Intercom-Version": "9.9"}),
    ("lowercase preview", {"Intercom-Version": "preview"}),
    ("Intercom-Version with spaces inside", {"Intercom-Version": "2 .15"}),
    ("10 KiB token", {"Authorization": "Bearer " + "t" * 10_000}),
    ("basic auth", {"Authorization": "Basic Zm9vOmJhcg=="}),
    ("bearer without token", {"Authorization": "Bearer"}),
    ("no authorization", {"Authorization": ""}),
]

CONTROL = {
    "workspace name 10 KiB": ("POST", "/workspaces", b'{"name": "' + b"n" * 10_000 + b'"}'),
    "workspace token 1 KiB": ("POST", "/workspaces", b'{"token": "' + b"t" * 1_000 + b'"}'),
    "workspace unknown version": ("POST", "/workspaces", b'{"default_version": "9.9"}'),
    "workspace unknown seed": ("POST", "/workspaces", b'{"seed": "everything"}'),
    "workspace name lone surrogate": ("POST", "/workspaces", b'{"name": "\\ud800"}'),
    "workspace records not a list": ("POST", "/workspaces", b'{"records": {"contacts": {"email": "x"}}}'),
    "workspace records unknown collection": ("POST", "/workspaces", b'{"records": {"widgets": [{}]}}'),
    "workspace bad record after good": (
        "POST",
        "/workspaces",
        b'{"records": {"contacts": [{"email": "ok@example.com"}, {"role": "nope"}]}}',
    ),
    "workspace redirect uri not https": (
        "POST",
        "/workspaces",
        b'{"oauth_redirect_uris": ["http://evil.example/cb"]}',
    ),
    "seed records request path outside": (
        "POST",
        "/workspaces/{workspace}/seed",
        b'{"records": {"requests": [{"method": "POST", "path": "/_sandbox/workspaces"}]}}',
    ),
    "seed records requests not objects": (
        "POST",
        "/workspaces/{workspace}/seed",
        b'{"records": {"requests": [1]}}',
    ),
    "seed unknown demo": ("POST", "/workspaces/{workspace}/seed", b'{"seed": "lots"}'),
    "clock advance beyond range": ("POST", "/workspaces/{workspace}/clock/advance", b'{"days": 100000000}'),
    "clock before 1970": ("POST", "/workspaces/{workspace}/clock/set", b'{"at": -1}'),
    "clock set as string": ("POST", "/workspaces/{workspace}/clock/set", b'{"at": "noon"}'),
    "fault unknown action": ("POST", "/workspaces/{workspace}/faults", b'{"action": "explode"}'),
    "fault probability 2": (
        "POST",
        "/workspaces/{workspace}/faults",
        b'{"action": "error", "probability": 2}',
    ),
    "snapshot empty name": ("POST", "/workspaces/{workspace}/snapshots", b'{"name": ""}'),
    "snapshot name 1 KiB": (
        "POST",
        "/workspaces/{workspace}/snapshots",
        b'{"name": "' + b"s" * 1_000 + b'"}',
    ),
    "restore unknown snapshot": ("POST", "/workspaces/{workspace}/snapshots/never/restore", None),
    "webhook javascript url": ("POST", "/workspaces/{workspace}/webhooks", b'{"url": "javascript:alert(1)"}'),
    "webhook file url": ("POST", "/workspaces/{workspace}/webhooks", b'{"url": "file:///etc/passwd"}'),
    "webhook to the control plane": (
        "POST",
        "/workspaces/{workspace}/webhooks",
        b'{"url": "http://127.0.0.1:8000/_sandbox/workspaces/{workspace}/reset"}',
    ),
    "webhook to metadata": (
        "POST",
        "/workspaces/{workspace}/webhooks",
        b'{"url": "http://169.254.169.254/"}',
    ),
    "journal per_page 0": ("GET", "/workspaces/{workspace}/journal?per_page=0", None),
    "journal limit -1": ("GET", "/workspaces/{workspace}/journal?limit=-1", None),
    "journal status 999": ("GET", "/workspaces/{workspace}/journal?status=999", None),
    "unknown workspace": ("GET", "/workspaces/nope", None),
    "reset with text/plain": ("POST", "/workspaces/{workspace}/reset", b"{}"),
    "reset with a form": ("POST", "/workspaces/{workspace}/reset", b"to=empty"),
    "token revoke unknown": ("DELETE", "/tokens/never-issued", None),
}
CONTROL_TYPES = {
    "reset with text/plain": {"Content-Type": "text/plain"},
    "reset with a form": {"Content-Type": "application/x-www-form-urlencoded"},
}


def hostile_inputs() -> list[Hostile]:
    cases = [
        *_each("syntax", "POST", "/contacts", SYNTAX),
        *_each("number", "POST", "/contacts", NUMBERS),
        *_each("surrogate", "POST", "/contacts", SURROGATES),
        *_each("type", "POST", "/contacts", TYPES),
        *_each("size", "POST", "/contacts", SIZES_AND_NESTING),
        *_each("search", "POST", "/contacts/search", SEARCHES),
        *_each("tag", "POST", "/tags", TAGS),
        *(
            Hostile(f"content type: {name}", "POST", "/contacts", VALID_CONTACT, headers)
            for name, headers in CONTENT_TYPES.items()
        ),
        *(Hostile(f"path: {method} {path[:60]}", method, path, None, {}) for method, path in PATHS),
        *(Hostile(f"header: {name}", "GET", "/me", None, headers) for name, headers in HEADERS),
        *(
            Hostile(
                f"control: {name}",
                method,
                path,
                body,
                CONTROL_TYPES.get(name, dict(JSON) if body else {}),
                control=True,
            )
            for name, (method, path, body) in CONTROL.items()
        ),
        Hostile(
            "conversation: reply body lone surrogate",
            "POST",
            "/conversations",
            b'{"from": {"type": "user", "id": "nobody"}, "body": "\\ud800"}',
        ),
        Hostile(
            "company: name lone surrogate", "POST", "/companies", b'{"company_id": "c1", "name": "\\ud800"}'
        ),
        Hostile(
            "company: name 300 characters",
            "POST",
            "/companies",
            b'{"company_id": "c2", "name": "' + b"c" * 300 + b'"}',
        ),
        Hostile(
            "note: body lone surrogate",
            "POST",
            "/contacts/000000000000000000000000/notes",
            b'{"body": "\\ud800"}',
        ),
        Hostile(
            "data attribute: name lone surrogate",
            "POST",
            "/data_attributes",
            b'{"name": "\\ud800", "model": "contact", "data_type": "string"}',
        ),
        Hostile(
            "event: huge metadata number",
            "POST",
            "/events",
            b'{"event_name": "x", "created_at": 1, "user_id": "u", "metadata": {"n": 1e999}}',
        ),
        Hostile(
            "oauth: token json lone surrogate",
            "POST",
            "/auth/eagle/token",
            b'{"code": "\\ud800", "client_id": "x", "client_secret": "y"}',
        ),
        Hostile("oauth: token json array", "POST", "/auth/eagle/token", b"[1, 2]"),
    ]
    return cases


# Requests written byte by byte to a socket: broken HTTP framing that no client library would send.
RAW_REQUESTS = {
    "negative content-length": b"POST /contacts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n{}",
    "content-length not a number": b"POST /contacts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n\r\n{}",
    "content-length and chunked": (
        b"POST /contacts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
    ),
    "bad chunk size": b"POST /contacts HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n",
    "header without colon": b"GET /me HTTP/1.1\r\nHost: 127.0.0.1\r\nBroken header\r\n\r\n",
    "NUL in a header": b"GET /me HTTP/1.1\r\nHost: 127.0.0.1\r\nIntercom-Version: 2.15\x00\r\n\r\n",
    "space in the path": b"GET /me please HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    "HTTP/9.9": b"GET /me HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n",
    "dot segments to the control plane": b"GET /contacts/../_sandbox/workspaces HTTP/1.1\r\nHost: attacker.example\r\n\r\n",
    "foreign host": b"GET /_sandbox/workspaces HTTP/1.1\r\nHost: attacker.example\r\n\r\n",
    "no host, foreign origin": b"POST /_sandbox/workspaces HTTP/1.1\r\nOrigin: http://attacker.example\r\nContent-Length: 0\r\n\r\n",
}
