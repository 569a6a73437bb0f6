import uuid

import httpx

from contracts.checks import body, check, expect_error, parse
from contracts.models.subscription_types import SubscriptionType, SubscriptionTypeList

NO_SUCH_CONTACT = "6762f0d01bb69f9f2193bb7d"


@check()
def subscription_types_are_listed(api: httpx.Client) -> None:
    listed = parse(SubscriptionTypeList, api.get("/subscription_types"))
    assert len({item.id for item in listed.data}) == len(listed.data)


@check(writes=True)
def attaching_to_an_unknown_contact_is_user_not_found(api: httpx.Client) -> None:
    response = api.post(
        f"/contacts/{NO_SUCH_CONTACT}/subscriptions", json={"id": "1", "consent_type": "opt_in"}
    )
    assert expect_error(response, 404, "not_found").errors[0].message == "User Not Found"


@check(writes=True)
def subscription_is_attached_and_detached(api: httpx.Client) -> None:
    contact = body(api.post("/contacts", json={"email": f"contract-{uuid.uuid4().hex[:12]}@example.com"}))
    try:
        unknown = api.post(
            f"/contacts/{contact['id']}/subscriptions", json={"id": "invalid_id", "consent_type": "opt_in"}
        )
        assert expect_error(unknown, 404, "not_found").errors[0].message == "Resource Not Found"
        live = [
            item
            for item in parse(SubscriptionTypeList, api.get("/subscription_types")).data
            if item.state == "live"
        ]
        if not live:
            return  # a workspace without subscription types: nothing more to attach
        chosen = live[0]
        attached = parse(
            SubscriptionType,
            api.post(
                f"/contacts/{contact['id']}/subscriptions",
                json={"id": chosen.id, "consent_type": chosen.consent_type},
            ),
        )
        assert attached.id == chosen.id and attached.type == "subscription"
        detached = parse(SubscriptionType, api.delete(f"/contacts/{contact['id']}/subscriptions/{chosen.id}"))
        assert detached.id == chosen.id
    finally:
        body(api.delete(f"/contacts/{contact['id']}"))
