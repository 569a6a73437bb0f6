import uuid

import httpx

from contracts.checks import check, expect_error, parse
from contracts.models.conversation_attributes import ConversationAttribute, ConversationAttributeList

V216 = {"Intercom-Version": "2.16"}


@check(writes=True)
def conversation_list_attributes_keep_their_options(api: httpx.Client) -> None:
    body = {
        "name": f"contract_{uuid.uuid4().hex[:8]}",
        "data_type": "list",
        "options": [{"label": "Low"}, {"label": "High"}],
    }
    attribute = parse(ConversationAttribute, api.post("/conversations/attributes", json=body, headers=V216))
    base = f"/conversations/attributes/{attribute.id}"
    try:
        assert attribute.options is not None and [o.label for o in attribute.options] == ["Low", "High"]
        added = parse(
            ConversationAttribute, api.post(f"{base}/options", json={"label": "Urgent"}, headers=V216)
        )
        assert added.options is not None and len(added.options) == 3
        archived = parse(
            ConversationAttribute, api.delete(f"{base}/options/{added.options[0].id}", headers=V216)
        )
        assert archived.options is not None and archived.options[0].archived
        listed = parse(ConversationAttributeList, api.get("/conversations/attributes", headers=V216))
        assert attribute.id in [each.id for each in listed.data]
    finally:
        api.delete(base, headers=V216)


@check()
def unknown_conversation_attribute_is_404(api: httpx.Client) -> None:
    expect_error(
        api.get("/conversations/attributes/999999999", headers=V216), 404, "conversation_attribute_not_found"
    )
