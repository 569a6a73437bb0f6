import time

import httpx

from contracts.checks import check, expect_error, parse
from contracts.models.admins import ActivityLogList, Admin, AdminList, AdminWithApp


@check()
def me_identifies_the_token_owner(api: httpx.Client) -> None:
    me = parse(AdminWithApp, api.get("/me"))
    assert me.app is not None and me.app.id_code
    admin = parse(Admin, api.get(f"/admins/{me.id}"))
    assert admin.email == me.email


@check()
def admins_are_listed_with_team_ids(api: httpx.Client) -> None:
    listed = parse(AdminList, api.get("/admins"))
    assert listed.admins, "a workspace always has at least its owner"
    assert all(isinstance(team_id, int) for admin in listed.admins for team_id in admin.team_ids)


@check()
def unknown_admin_is_admin_not_found(api: httpx.Client) -> None:
    expect_error(api.get("/admins/1"), 404, "admin_not_found")


@check()
def activity_logs_need_a_start(api: httpx.Client) -> None:
    expect_error(api.get("/admins/activity_logs"), 400)
    logs = parse(
        ActivityLogList,
        api.get("/admins/activity_logs", params={"created_at_after": int(time.time()) - 86400}),
    )
    assert logs.pages.page == 1


@check()
def unknown_or_missing_token_is_401(api: httpx.Client) -> None:
    # FIDELITY §1.2/§1.3: a token Intercom does not know is `unauthorized`; no credentials at all is
    # `missing_authorization`.
    expect_error(api.get("/me", headers={"Authorization": "Bearer not-a-token"}), 401, "unauthorized")
    expect_error(api.get("/me", headers={"Authorization": ""}), 401, "missing_authorization")


@check()
def rate_limit_headers_on_every_response(api: httpx.Client) -> None:
    for response in (api.get("/me"), api.get("/admins/1")):
        for header in ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"):
            assert header in response.headers, f"{header} missing on {response.request.url}"
