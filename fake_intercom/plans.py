"""The plan a workspace is on, and the operations a plan keeps from its API (FIDELITY §1.4).

`active` (the default) is a workspace with an active subscription: every operation answers.
`inactive` is one without: the operations Intercom's examples show refusing then answer 403
`api_plan_restricted` "Active subscription needed." (the conversations API, deleting a ticket,
sending a message), and workflow export "Workflow export is not available for this app".
"""

from typing import Literal

from fake_intercom.errors import IntercomError, api_plan_restricted

Plan = Literal["active", "inactive"]
DEFAULT_PLAN: Plan = "active"

SUBSCRIPTION_NEEDED = frozenset(
    {
        "listConversations",
        "createConversation",
        "retrieveConversation",
        "updateConversation",
        "deleteConversation",
        "replyConversation",
        "manageConversation",
        "attachContactToConversation",
        "detachContactFromConversation",
        "deleteTicket",
        "createMessage",
    }
)
WORKFLOW_EXPORT = frozenset({"exportWorkflow"})


def refusal(plan: str | None, operation_ids: frozenset[str]) -> IntercomError | None:
    """The error a workspace on `plan` gets for an operation, or None when its plan allows it."""
    if (plan or DEFAULT_PLAN) != "inactive":
        return None
    if operation_ids & SUBSCRIPTION_NEEDED:
        return api_plan_restricted("Active subscription needed.")
    if operation_ids & WORKFLOW_EXPORT:
        return api_plan_restricted("Workflow export is not available for this app")
    return None
