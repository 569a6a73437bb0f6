"""An agent run with injected faults: a scripted model drives the agent against the sandbox.

`intercom_scripted_model` plays a model's turns (here in Anthropic's format; OpenAI's works the
same) through the connector's `handle_tool_calls` and keeps a journal of every call and its result.
Faults are injected before chosen turns: a rate limit, a server error, a connection lost mid-answer.
The test then asserts on outcomes, as you would of your own agent: it never deleted a contact, every
conversation it closed had a reply, and what failed was reported to the model as retryable or not.

Copy this file and put your agent's step in place of the default (`agent=` of the fixture).
"""

from typing import Any

from connector.testing import ScriptedModel


def contact_id(model: ScriptedModel) -> str:
    return model.calls("intercom_create_contact", successful=True)[-1].data["id"]


def conversation_id(model: ScriptedModel) -> str:
    return model.calls("intercom_create_conversation", successful=True)[-1].data["conversation_id"]


def owner(model: ScriptedModel) -> str:
    return model.calls("intercom_identify_admin", successful=True)[-1].data["id"]


def replied(model: ScriptedModel) -> bool:
    conversation = model.calls("intercom_retrieve_conversation", successful=True)[-1].data
    parts = conversation["conversation_parts"]["conversation_parts"]
    return any(part["part_type"] == "comment" and part["author"]["type"] == "admin" for part in parts)


def reply(model: ScriptedModel) -> tuple[str, dict[str, Any]]:
    body = {"message_type": "comment", "type": "admin", "admin_id": owner(model), "body": "Hello Ada!"}
    return ("intercom_reply_to_conversation", {"conversation_id": conversation_id(model), **body})


def close(model: ScriptedModel) -> tuple[str, dict[str, Any]]:
    return (
        "intercom_close_conversation",
        {"conversation_id": conversation_id(model), "admin_id": owner(model)},
    )


# The model's turns; later ones read what earlier calls returned, as a real model does.
TURNS: list[Any] = [
    [
        ("intercom_identify_admin", {}),
        ("intercom_create_contact", {"email": "ada@example.com", "role": "user"}),
    ],
    lambda m: [
        ("intercom_create_conversation", {"from": {"type": "user", "id": contact_id(m)}, "body": "Hi!"})
    ],
    lambda m: [reply(m)],
    # The reply failed: did it land anyway? Look before sending it again.
    lambda m: [("intercom_retrieve_conversation", {"conversation_id": conversation_id(m)})],
    lambda m: [] if replied(m) else [reply(m)],
    lambda m: [close(m)],
    lambda m: [("intercom_retrieve_conversation", {"conversation_id": conversation_id(m)})],
    lambda m: [] if m.calls("intercom_retrieve_conversation")[-1].data["state"] == "closed" else [close(m)],
]


def test_the_agent_rides_out_faults(intercom_scripted_model):
    model = intercom_scripted_model(TURNS, provider="anthropic", max_retries=2)
    model.inject(1, action="rate_limit", operation_id="createConversation", times=1, retry_after=0)
    model.inject(2, action="error", status=503, operation_id="replyConversation", times=1)
    model.inject(5, action="drop", operation_id="manageConversation", times=1)
    journal = model.run()

    # The connector waited out the rate limit: the conversation was created at the first call.
    assert model.calls("intercom_create_conversation")[0].successful
    # A 503 or a lost connection on a POST is not retried by the connector (it may have been
    # applied): the model is told, and must look before trying again.
    first_reply, first_close = (
        model.calls("intercom_reply_to_conversation")[0],
        model.calls("intercom_close_conversation")[0],
    )
    assert (first_reply.error["status"], first_reply.error["retryable"]) == (503, False)
    assert not first_close.successful and first_close.error["retryable"] is False

    # Outcomes: nothing deleted; every conversation closed had a reply first; no write sent twice
    # that the model did not ask twice for.
    assert not [call for call in journal if "delete" in call.tool_name]
    for closed in model.calls("intercom_close_conversation", successful=True):
        replies = [
            call
            for call in model.calls("intercom_reply_to_conversation", successful=True)
            if call.turn < closed.turn
            and call.arguments["conversation_id"] == closed.arguments["conversation_id"]
        ]
        assert replies, f"conversation {closed.arguments['conversation_id']} closed without a reply"
    assert model.calls("intercom_close_conversation", successful=True)
    assert model.repeated_writes() == []
