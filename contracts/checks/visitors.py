"""Visitors come from the Messenger only, so these checks cover what needs no visitor."""

import uuid

import httpx

from contracts.checks import check, expect_error


def _unknown_user_id() -> str:
    return f"contract-{uuid.uuid4().hex}"


@check()
def unknown_visitor_is_visitor_not_found(api: httpx.Client) -> None:
    response = api.get("/visitors", params={"user_id": _unknown_user_id()})
    assert expect_error(response, 404, "not_found").errors[0].message == "Visitor Not Found"


@check(writes=True)
def updating_an_unknown_visitor_is_visitor_not_found(api: httpx.Client) -> None:
    response = api.put("/visitors", json={"user_id": _unknown_user_id(), "name": "Christian Fail"})
    assert expect_error(response, 404, "not_found").errors[0].message == "Visitor Not Found"


@check(writes=True)
def converting_an_unknown_visitor_is_visitor_not_found(api: httpx.Client) -> None:
    response = api.post(
        "/visitors/convert",
        json={
            "type": "user",
            "visitor": {"user_id": _unknown_user_id()},
            "user": {"email": "nobody@example.com"},
        },
    )
    assert expect_error(response, 404, "not_found").errors[0].message == "Visitor Not Found"
