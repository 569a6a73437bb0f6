"""`ScriptedModel`: turns in either provider's format through `handle_tool_calls`, recorded."""

import pytest

from connector.pytest_plugin import actions_for
from connector.testing import ScriptedModel


@pytest.mark.parametrize("provider", ["openai", "anthropic"])
def test_turns_run_in_order_and_are_recorded(empty, provider: str) -> None:
    with actions_for(empty) as actions:
        model = ScriptedModel(
            actions,
            [
                [("intercom_create_contact", {"email": "ada@example.com"}), ("intercom_list_tags", {})],
                lambda m: [("intercom_retrieve_contact", {"contact_id": m.journal[0].data["id"]})],
                [("intercom_delete_contact", {"contact_id": "nope"})],
            ],
            provider=provider,
            workspace=empty,
        )
        model.step()
        assert model.turn == 1 and not model.done
        journal = model.run()
    assert [(call.turn, call.tool_name, call.successful) for call in journal] == [
        (0, "intercom_create_contact", True),
        (0, "intercom_list_tags", True),
        (1, "intercom_retrieve_contact", True),
        (2, "intercom_delete_contact", False),
    ]
    assert journal[2].data["email"] == "ada@example.com"
    assert journal[3].error["status"] == 404
    # The conversation a real model would have seen: its own turns and a result for every call.
    assert [message["role"] for message in model.messages][:2] == [
        "assistant",
        "tool" if provider == "openai" else "user",
    ]
    assert model.calls("INTERCOM_GET_A_CONTACT")[0] is journal[2]
    with pytest.raises(IndexError):
        model.step()


def test_only_offered_tools_run(empty) -> None:
    with actions_for(empty) as actions:
        model = ScriptedModel(
            actions,
            [[("intercom_delete_contact", {"contact_id": "1"})]],
            allowed_tools=["intercom_list_tags"],
        )
        (call,) = model.run()
    assert call.error["type"] == "tool_not_allowed"
    assert empty.journal() == []


def test_a_provider_response_can_be_given_as_it_is(empty) -> None:
    response = {
        "choices": [
            {
                "message": {
                    "role": "assistant",
                    "tool_calls": [
                        {
                            "id": "c1",
                            "type": "function",
                            "function": {"name": "intercom_list_tags", "arguments": "{}"},
                        }
                    ],
                }
            }
        ]
    }
    with actions_for(empty) as actions:
        (call,) = ScriptedModel(actions, [response]).run()
    assert (call.call_id, call.successful) == ("c1", True)


def test_faults_need_the_workspace(empty) -> None:
    with actions_for(empty) as actions, pytest.raises(ValueError, match="workspace"):
        ScriptedModel(actions, []).inject(0, action="error")
