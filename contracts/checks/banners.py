import httpx

from contracts.checks import check, expect_error, parse
from contracts.checks.companies import a_contact
from contracts.models.banners import BannerDismiss, BannerList

V216 = {"Intercom-Version": "2.16"}


@check(writes=True)
def a_contacts_banners_can_be_dismissed(api: httpx.Client) -> None:
    with a_contact(api) as contact_id:
        banners = parse(BannerList, api.get(f"/contacts/{contact_id}/banners", headers=V216))
        for banner in banners.data:
            dismissed = api.post(f"/contacts/{contact_id}/banners/{banner.view_id}/dismiss", headers=V216)
            assert parse(BannerDismiss, dismissed).dismissed
        assert parse(BannerList, api.get(f"/contacts/{contact_id}/banners", headers=V216)).data == []
    expect_error(api.get("/contacts/000000000000000000000000/banners", headers=V216), 404, "not_found")
