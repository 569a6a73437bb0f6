"""Switch: deflect a phone call to the Messenger by texting the caller a link.

The fake sends no SMS; it records the redirect and does what Intercom does to the workspace: the
user or lead with that phone number (a new lead if there is none) gets the request's custom
attributes. Switch answers errors in its own shape, `{error_key, message}`, not an error.list:
400 `invalid_phone_number` for a number that is not E.164, 422 for custom attributes the
workspace does not define or of the wrong type.
"""

import re
import uuid
from typing import Any

from fastapi import Depends

from contracts.models.switch import CreatePhoneSwitchRequest, PhoneSwitch
from fake_intercom import responses
from fake_intercom.context import Ctx, context
from fake_intercom.errors import IntercomError
from fake_intercom.resources._contact_store import create_contact
from fake_intercom.resources.data_attributes import check_custom_attributes
from fake_intercom.routing import IntercomRouter
from fake_intercom.store import dumps, loads, table

PHONE_CALL_REDIRECTS = table(
    "phone_call_redirects",
    {"id": str, "phone": str, "contact_id": str, "created_at": int, "data": str},
    indexes=(("workspace_id", "phone"),),
)

router = IntercomRouter(tags=["Switch"])

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
# Separators people type inside numbers; E.164 itself has none.
SEPARATORS = re.compile(r"[\s\-().]")
LIVE_CONTACT = "workspace_id = ? AND merged_into IS NULL AND COALESCE(archived, 0) = 0"


class SwitchError(Exception):
    def __init__(self, status: int, error_key: str, message: str) -> None:
        super().__init__(message)
        self.status, self.error_key, self.message = status, error_key, message

    def response(self) -> Any:
        return responses.json({"error_key": self.error_key, "message": self.message}, status=self.status)


def normalise_phone(phone: str) -> str:
    number = SEPARATORS.sub("", phone)
    if not E164.match(number):
        raise SwitchError(400, "invalid_phone_number", "Invalid phone number")
    return number


def _set_custom_attributes(ctx: Ctx, phone: str, values: dict[str, Any]) -> str:
    """The id of the contact with this phone (users first), given `values`; a new lead if none."""
    try:
        check_custom_attributes(ctx.store, ctx.ws, "contact", values)
    except IntercomError as error:
        raise SwitchError(422, "invalid_custom_attributes", error.message) from None
    row = ctx.store.one(
        f"SELECT id, data, custom_attributes FROM contacts WHERE {LIVE_CONTACT} AND phone = ? "
        "ORDER BY role = 'user' DESC, created_at, id LIMIT 1",
        (ctx.ws, phone),
    )
    if row is None:
        fields: dict[str, Any] = {"role": "lead", "phone": phone}
        if values:
            fields["custom_attributes"] = values
        return str(create_contact(ctx.store, ctx.workspace, fields)["id"])
    if values:
        custom = {**(loads(row["custom_attributes"]) or {}), **values}
        data = loads(row["data"])
        data["updated_at"] = ctx.now()
        ctx.store.update(
            "contacts",
            ctx.ws,
            row["id"],
            {
                "custom_attributes": dumps({k: v for k, v in custom.items() if v is not None}),
                "updated_at": data["updated_at"],
                "data": dumps(data),
            },
        )
    return str(row["id"])


@router.operation(
    "createPhoneSwitch",
    response_model=PhoneSwitch,
    responses={400: {"description": "Invalid phone number"}, 422: {"description": "Unprocessable entity"}},
)
async def create_phone_switch(body: CreatePhoneSwitchRequest, ctx: Ctx = Depends(context)) -> Any:
    try:
        phone = normalise_phone(body.phone)
        contact_id = _set_custom_attributes(ctx, phone, body.custom_attributes or {})
    except SwitchError as error:
        return error.response()
    number = ctx.store.next_number(ctx.ws, "phone_call_redirect")
    token = uuid.uuid5(uuid.NAMESPACE_URL, f"{ctx.ws}:phone_call_redirect:{number}")
    redirect = {"type": "phone_call_redirect", "url": f"http://via.intercom.io/msgr/{token}", "phone": phone}
    ctx.store.insert(
        "phone_call_redirects",
        {
            "workspace_id": ctx.ws,
            "id": str(number),
            "phone": phone,
            "contact_id": contact_id,
            "created_at": ctx.now(),
            "data": dumps(redirect),
        },
    )
    return responses.json(redirect)
