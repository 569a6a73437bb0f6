import httpx

from contracts.checks import body, check


@check(writes=True)
def switch_refuses_invalid_numbers(api: httpx.Client) -> None:
    error = body(api.post("/phone_call_redirects", json={"phone": "12"}), 400)
    assert error["error_key"] == "invalid_phone_number"
