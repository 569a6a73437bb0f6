"""Secrets never reach a cassette; personal data is replaced consistently when asked."""

import pytest

from fake_intercom.parity.cassette import Exchange, Request, Response
from fake_intercom.parity.redact import REDACTED, Redactor, phone_placeholder


def exchange(path: str, request_body=None, response_body=None, query=(), headers=None) -> Exchange:
    return Exchange(
        n=1,
        at=0,
        request=Request(
            method="POST",
            path=path,
            query=list(query),
            content={} if request_body is None else {"body": request_body},
        ),
        response=Response(
            status=200,
            headers=headers or {},
            content={} if response_body is None else {"body": response_body},
        ),
    )


def test_secrets_under_their_keys_are_removed_anywhere() -> None:
    redacted = Redactor().redact(
        exchange(
            "/contacts",
            {"email": "a@example.com", "nested": [{"client_secret": "s3cr3t-value"}], "code": "kept"},
            {"type": "contact", "access_token": "tok-123456789", "errors": [{"code": "not_found"}]},
            query=[("token", "abc"), ("page", "2")],
        )
    )
    assert redacted.request.json == {
        "email": "a@example.com",
        "nested": [{"client_secret": REDACTED}],
        "code": "kept",
    }
    assert redacted.response.json == {
        "type": "contact",
        "access_token": REDACTED,
        "errors": [{"code": "not_found"}],
    }
    assert redacted.request.query == [("token", REDACTED), ("page", "2")]


def test_oauth_codes_are_secrets_on_the_oauth_endpoints() -> None:
    token_exchange = exchange("/auth/eagle/token", response_body={"token": "t", "token_type": "Bearer"})
    token_exchange.request.content = {"form": [["code", "the-code"], ["client_id", "app"]]}
    redacted = Redactor().redact(token_exchange)
    assert redacted.request.content["form"] == [["code", REDACTED], ["client_id", "app"]]
    assert redacted.response.json == {"token": REDACTED, "token_type": "Bearer"}
    authorize = exchange("/oauth", headers={"location": "https://app.example.com/cb?code=the-code&state=s1"})
    assert Redactor().redact(authorize).response.headers["location"] == (
        f"https://app.example.com/cb?code={REDACTED.replace('[', '%5B').replace(']', '%5D')}&state=s1"
    )


def test_known_tokens_are_scrubbed_from_any_text() -> None:
    redactor = Redactor(secrets=["tok_live_0123456789"])
    redacted = redactor.redact(
        exchange(
            "/notes/tok_live_0123456789",
            {"body": "my token is tok_live_0123456789!"},
            query=[("q", "tok_live_0123456789")],
        )
    )
    assert "tok_live_0123456789" not in repr(redacted)


def test_emails_become_the_same_placeholder_everywhere() -> None:
    redactor = Redactor(["email"])
    first = redactor.redact(
        exchange(
            "/contacts/find/Ada@Example.com",
            {"email": "ada@example.com", "note": "cc bob@example.org and ada@example.com"},
            {"email": "ADA@example.com", "message": "A contact exists with email=ada@example.com"},
            query=[("email", "bob@example.org")],
        )
    )
    again = redactor.redact(exchange("/contacts/search", {"value": "ada@example.com"}))
    assert first.request.path == "/contacts/find/person-1@example.com"
    assert first.request.json == {
        "email": "person-1@example.com",
        "note": "cc person-2@example.com and person-1@example.com",
    }
    assert first.response.json["email"] == "person-1@example.com"
    assert first.response.json["message"].endswith("email=person-1@example.com")
    assert first.request.query == [("email", "person-2@example.com")]
    assert again.request.json == {"value": "person-1@example.com"}


def test_names_of_people_are_replaced_but_names_of_things_are_not() -> None:
    redactor = Redactor(["name"])
    created = redactor.redact(
        exchange(
            "/contacts",
            {"name": "Ada Lovelace"},
            {"type": "contact", "name": "Ada Lovelace", "tags": {"data": [{"type": "tag", "name": "vip"}]}},
        )
    )
    listed = redactor.redact(
        exchange(
            "/conversations/search",
            response_body={
                "author": {"type": "admin", "name": "Grace Hopper"},
                "body": "Hi Ada Lovelace, this is Grace Hopper",
                "title": "Ada Lovelaces",
            },
        )
    )
    assert created.request.json == {"name": "Person 1"}
    assert created.response.json["name"] == "Person 1"
    assert created.response.json["tags"]["data"][0]["name"] == "vip"
    assert listed.response.json == {
        "author": {"type": "admin", "name": "Person 2"},
        "body": "Hi Person 1, this is Person 2",
        "title": "Ada Lovelaces",
    }


def test_phones_keep_their_shape_so_validity_survives() -> None:
    redactor = Redactor(["phone"])
    redacted = redactor.redact(
        exchange("/contacts", {"phone": "+353 87 123 4567"}, {"type": "contact", "phone": "+353 87 123 4567"})
    )
    short = redactor.redact(exchange("/phone_call_redirects", {"phone": "12"}))
    assert redacted.request.json["phone"] == redacted.response.json["phone"] == "+555 50 100 0001"
    assert short.request.json["phone"] == "02"
    assert phone_placeholder("(415) 555-0199", 7) == "(550) 100-0007"


def test_unknown_categories_are_refused() -> None:
    with pytest.raises(ValueError, match="address"):
        Redactor(["email", "address"])
