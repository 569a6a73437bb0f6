import httpx

from contracts.checks import check, expect_error, parse
from contracts.models.emails import EmailSetting, EmailSettingList


@check()
def email_settings_are_listed_and_found(api: httpx.Client) -> None:
    settings = parse(EmailSettingList, api.get("/emails"))
    for setting in settings.data[:3]:
        assert parse(EmailSetting, api.get(f"/emails/{setting.id}")).email == setting.email
    expect_error(api.get("/emails/999999999"), 404, "not_found")
