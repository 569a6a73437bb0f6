import httpx

from contracts.checks import check, expect_error, parse
from contracts.models.ip_allowlist import IpAllowlist


@check()
def ip_allowlist_is_readable(api: httpx.Client) -> None:
    parse(IpAllowlist, api.get("/ip_allowlist"))


@check(writes=True)
def ip_allowlist_refuses_malformed_entries(api: httpx.Client) -> None:
    before = parse(IpAllowlist, api.get("/ip_allowlist"))
    expect_error(api.put("/ip_allowlist", json={"ip_allowlist": ["300.1.1.1/99"]}), 422, "parameter_invalid")
    assert parse(IpAllowlist, api.get("/ip_allowlist")) == before
