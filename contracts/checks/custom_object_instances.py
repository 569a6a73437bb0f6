import httpx

from contracts.checks import check, expect_error

UNKNOWN_TYPE = "NoSuchTypeForContractChecks"


@check()
def unknown_custom_object_type_is_not_found(api: httpx.Client) -> None:
    path = f"/custom_object_instances/{UNKNOWN_TYPE}"
    errors = expect_error(api.get(path, params={"external_id": "1"}), 404, "not_found")
    assert UNKNOWN_TYPE in (errors.errors[0].message or "")
    expect_error(api.get(f"{path}/1"), 404, "not_found")
