"""What never reaches a cassette, and what may be replaced before it does.

Secrets always go: the Authorization header is never recorded; values under secret keys (`token`,
`access_token`, `client_secret`, OAuth `code`s...) in bodies, forms and query strings become
`[redacted]`; and every token the proxy has seen is scrubbed from any text it might be echoed in.

Personal data goes on request (`--redact email,name,phone`), replaced consistently across the whole
cassette so that the replay still sees the same equalities: the same email always becomes the same
placeholder, in bodies, query strings and paths alike. Placeholders are valid values of their kind
(`person-1@example.com`, `Person 1`, and a phone number of the original's shape), so a replay can still send them.
"""

import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from fake_intercom.parity.cassette import Exchange, Message

REDACTED = "[redacted]"
CATEGORIES = ("email", "name", "phone")

SECRET_KEYS = frozenset(
    {
        "access_token",
        "refresh_token",
        "id_token",
        "token",
        "client_secret",
        "secret",
        "password",
        "api_key",
        "authorization",
    }
)
# On the OAuth endpoints the authorization code is a secret too (elsewhere `code` is an error's code).
OAUTH_PREFIXES = ("/oauth", "/auth/")
OAUTH_SECRET_KEYS = SECRET_KEYS | {"code"}

# The objects whose `name` is a person's, and the requests whose body names a person.
PERSON_TYPES = frozenset({"contact", "user", "lead", "admin", "visitor", "contact_reference"})
PERSON_PATHS = ("/contacts", "/visitors", "/admins")
PHONE_KEYS = re.compile(r"^(phone|.*_phone)$")

EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


class Redactor:
    """Redacts exchanges in recording order; one instance per cassette keeps placeholders consistent."""

    def __init__(self, categories: Iterable[str] = (), secrets: Iterable[str] = ()) -> None:
        self.categories = frozenset(categories)
        unknown = self.categories - set(CATEGORIES)
        if unknown:
            raise ValueError(f"unknown redaction {sorted(unknown)}; choose from {', '.join(CATEGORIES)}")
        self.secrets: set[str] = {secret for secret in secrets if secret}
        self.placeholders: dict[str, dict[str, str]] = {category: {} for category in CATEGORIES}
        self._patterns: dict[str, re.Pattern[str]] = {}

    def add_secret(self, secret: str) -> None:
        if secret:
            self.secrets.add(secret)

    # -- the whole exchange -----------------------------------------------------------------

    def redact(self, exchange: Exchange) -> Exchange:
        request, response = exchange.request, exchange.response
        secret_keys = OAUTH_SECRET_KEYS if request.path.startswith(OAUTH_PREFIXES) else SECRET_KEYS
        request.query = [
            (key, REDACTED if key.lower() in secret_keys else value) for key, value in request.query
        ]
        for message in (request, response):
            _drop_secret_keys(message, secret_keys)
        if "location" in response.headers:
            # An authorization's redirect carries the code in its query.
            response.headers["location"] = _redact_query(response.headers["location"], secret_keys)
        if "name" in self.categories:
            self._learn_names(exchange)
        if "phone" in self.categories:
            for message in (request, response):
                _collect(
                    message.json,
                    lambda key, value, parent: bool(PHONE_KEYS.match(key)),
                    lambda value: self._placeholder("phone", value),
                )
        self._rewrite(exchange, self._text)
        return exchange

    # -- learning what is personal ----------------------------------------------------------

    def _learn_names(self, exchange: Exchange) -> None:
        request = exchange.request
        if request.path.startswith(PERSON_PATHS) and isinstance(request.json, dict):
            name = request.json.get("name")
            if isinstance(name, str):
                self._placeholder("name", name)

        def person_name(key: str, value: str, parent: dict[str, Any]) -> bool:
            return key == "name" and parent.get("type") in PERSON_TYPES

        for message in (request, exchange.response):
            _collect(message.json, person_name, lambda value: self._placeholder("name", value))

    def _placeholder(self, category: str, original: str) -> str:
        known = self.placeholders[category]
        key = original.lower() if category == "email" else original
        if not original.strip() or original in known.values():
            return original
        if key not in known:
            known[key] = new_placeholder(category, original, len(known) + 1)
            self._patterns.pop(category, None)
        return known[key]

    # -- rewriting every string -------------------------------------------------------------

    def _text(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        # Names and phones are known values and go first: a name may hold an email ("Lead of ada@...").
        for category in ("name", "phone"):
            pattern = self._pattern(category)
            if pattern is not None:
                text = pattern.sub(self._replacer(category), text)
        if "email" in self.categories:
            text = EMAIL.sub(lambda match: self._placeholder("email", match.group()), text)
        return text

    def _replacer(self, category: str) -> Callable[[re.Match[str]], str]:
        known = self.placeholders[category]
        return lambda match: known[match.group()]

    def _pattern(self, category: str) -> re.Pattern[str] | None:
        if category not in self.categories or not self.placeholders[category]:
            return None
        if category not in self._patterns:
            # Whole words only, longest first, so "Ada" does not eat into "Adams" or "Ada Lovelace".
            alternatives = sorted(self.placeholders[category], key=len, reverse=True)
            self._patterns[category] = re.compile(
                r"(?<![\w+])(?:" + "|".join(map(re.escape, alternatives)) + r")(?!\w)"
            )
        return self._patterns[category]

    def _rewrite(self, exchange: Exchange, text: Callable[[str], str]) -> None:
        request = exchange.request
        request.path = text(request.path)
        request.query = [(key, text(value)) for key, value in request.query]
        for message in (request, exchange.response):
            message.content = map_strings(message.content, text)
            message.headers = {name: text(value) for name, value in message.headers.items()}


def new_placeholder(category: str, original: str, number: int) -> str:
    if category == "email":
        return f"person-{number}@example.com"
    if category == "name":
        return f"Person {number}"
    return phone_placeholder(original, number)


def phone_placeholder(original: str, number: int) -> str:
    """The original's shape (separators, `+`, number of digits) with other digits, so a number the
    API refuses is still refused and a valid one still valid."""
    digits = sum(character.isdigit() for character in original)
    replacement = iter(f"5550100{number:04d}".rjust(digits, "5")[-digits:] if digits else "")
    return "".join(next(replacement) if character.isdigit() else character for character in original)


def map_strings(value: Any, function: Callable[[str], str]) -> Any:
    """`value` with `function` applied to every string in it (object keys left alone)."""
    if isinstance(value, str):
        return function(value)
    if isinstance(value, list):
        return [map_strings(item, function) for item in value]
    if isinstance(value, dict):
        return {key: map_strings(item, function) for key, item in value.items()}
    return value


def _drop_secret_keys(message: Message, keys: frozenset[str]) -> None:
    def scrub(value: Any) -> Any:
        if isinstance(value, list):
            return [scrub(item) for item in value]
        if isinstance(value, dict):
            return {
                key: REDACTED if key.lower() in keys and item is not None else scrub(item)
                for key, item in value.items()
            }
        return value

    if "body" in message.content:
        message.content["body"] = scrub(message.content["body"])
    if "form" in message.content:
        message.content["form"] = [
            [key, REDACTED if key.lower() in keys else value] for key, value in message.content["form"]
        ]


def _redact_query(url: str, keys: frozenset[str]) -> str:
    parts = urlsplit(url)
    if not parts.query:
        return url
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = urlencode([(key, REDACTED if key.lower() in keys else value) for key, value in pairs])
    return urlunsplit(parts._replace(query=query))


Picker = Callable[[str, str, dict[str, Any]], bool]


def _collect(value: Any, wanted: Picker, found: Callable[[str], Any]) -> None:
    """Call `found` on every string of a JSON body that `wanted(key, string, enclosing object)` picks."""
    if isinstance(value, list):
        for item in value:
            _collect(item, wanted, found)
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str):
                if wanted(key, item, value):
                    found(item)
            else:
                _collect(item, wanted, found)
