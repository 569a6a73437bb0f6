"""The operation table: every Intercom operation this project knows, named once.

Each entry carries the operationId of the official description, so the fake's routes, the
connector's tools and the official spec can be checked against one another.
"""

from dataclasses import dataclass
from typing import Literal

Pagination = Literal["cursor", "search", "page", "scroll", "events"]


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    resource: str
    summary: str
    pagination: Pagination | None = None
    since: str = "1.0"
    """The first Intercom-Version that has it; older versions answer 400 intercom_version_invalid."""
    legacy: bool = False
    """Served for tools that call it although no current description has it."""


_OPERATIONS = (
    Operation("identifyAdmin", "GET", "/me", "admins", "Identify an admin"),
    Operation(
        "listActivityLogs",
        "GET",
        "/admins/activity_logs",
        "admins",
        "List all activity logs",
        pagination="page",
    ),
    Operation("listAdmins", "GET", "/admins", "admins", "List all admins"),
    Operation("retrieveAdmin", "GET", "/admins/{admin_id}", "admins", "Retrieve an admin"),
    Operation("setAwayAdmin", "PUT", "/admins/{admin_id}/away", "admins", "Set an admin to away"),
    Operation(
        "ListAttachedContacts",
        "GET",
        "/companies/{company_id}/contacts",
        "companies",
        "List attached contacts",
        pagination="cursor",
    ),
    Operation(
        "ListAttachedSegmentsForCompanies",
        "GET",
        "/companies/{company_id}/segments",
        "companies",
        "List attached segments for companies",
    ),
    Operation(
        "RetrieveACompanyById", "GET", "/companies/{company_id}", "companies", "Retrieve a company by ID"
    ),
    Operation("UpdateCompany", "PUT", "/companies/{company_id}", "companies", "Update a company"),
    Operation(
        "attachContactToACompany",
        "POST",
        "/contacts/{contact_id}/companies",
        "companies",
        "Attach a Contact to a Company",
    ),
    Operation("createOrUpdateCompany", "POST", "/companies", "companies", "Create or Update a company"),
    Operation("deleteCompany", "DELETE", "/companies/{company_id}", "companies", "Delete a company"),
    Operation(
        "detachContactFromACompany",
        "DELETE",
        "/contacts/{contact_id}/companies/{company_id}",
        "companies",
        "Detach a contact from a company",
    ),
    Operation(
        "listAllCompanies", "POST", "/companies/list", "companies", "List all companies", pagination="page"
    ),
    Operation("retrieveCompany", "GET", "/companies", "companies", "Retrieve companies", pagination="page"),
    Operation(
        "scrollOverAllCompanies",
        "GET",
        "/companies/scroll",
        "companies",
        "Scroll over all companies",
        pagination="scroll",
    ),
    Operation("ArchiveContact", "POST", "/contacts/{contact_id}/archive", "contacts", "Archive contact"),
    Operation("BlockContact", "POST", "/contacts/{contact_id}/block", "contacts", "Block contact"),
    Operation("CreateContact", "POST", "/contacts", "contacts", "Create contact"),
    Operation("DeleteContact", "DELETE", "/contacts/{contact_id}", "contacts", "Delete a contact"),
    Operation("ListContacts", "GET", "/contacts", "contacts", "List all contacts", pagination="cursor"),
    Operation("MergeContact", "POST", "/contacts/merge", "contacts", "Merge a lead and a user"),
    Operation(
        "SearchContacts", "POST", "/contacts/search", "contacts", "Search contacts", pagination="search"
    ),
    Operation("ShowContact", "GET", "/contacts/{contact_id}", "contacts", "Get a contact"),
    Operation(
        "ShowContactByExternalId",
        "GET",
        "/contacts/find_by_external_id/{external_id}",
        "contacts",
        "Get a contact by External ID",
    ),
    Operation(
        "UnarchiveContact", "POST", "/contacts/{contact_id}/unarchive", "contacts", "Unarchive contact"
    ),
    Operation("UpdateContact", "PUT", "/contacts/{contact_id}", "contacts", "Update a contact"),
    Operation(
        "listCompaniesForAContact",
        "GET",
        "/contacts/{contact_id}/companies",
        "contacts",
        "List attached companies for contact",
        pagination="page",
    ),
    Operation(
        "listSegmentsForAContact",
        "GET",
        "/contacts/{contact_id}/segments",
        "contacts",
        "List attached segments for contact",
    ),
    Operation(
        "listSubscriptionsForAContact",
        "GET",
        "/contacts/{contact_id}/subscriptions",
        "contacts",
        "List subscriptions for a contact",
    ),
    Operation(
        "listTagsForAContact",
        "GET",
        "/contacts/{contact_id}/tags",
        "contacts",
        "List tags attached to a contact",
    ),
    Operation(
        "createDataAttribute", "POST", "/data_attributes", "data_attributes", "Create a data attribute"
    ),
    Operation("lisDataAttributes", "GET", "/data_attributes", "data_attributes", "List all data attributes"),
    Operation(
        "updateDataAttribute",
        "PUT",
        "/data_attributes/{data_attribute_id}",
        "data_attributes",
        "Update a data attribute",
    ),
    Operation("createDataEvent", "POST", "/events", "data_events", "Submit a data event"),
    Operation("dataEventSummaries", "POST", "/events/summaries", "data_events", "Create event summaries"),
    Operation("lisDataEvents", "GET", "/events", "data_events", "List all data events", pagination="events"),
    Operation("createNote", "POST", "/contacts/{contact_id}/notes", "notes", "Create a note"),
    Operation(
        "listCompanyNotes",
        "GET",
        "/companies/{company_id}/notes",
        "notes",
        "List all company notes",
        pagination="page",
    ),
    Operation(
        "listNotes", "GET", "/contacts/{contact_id}/notes", "notes", "List all notes", pagination="page"
    ),
    Operation("retrieveNote", "GET", "/notes/{note_id}", "notes", "Retrieve a note"),
    Operation("listSegments", "GET", "/segments", "segments", "List all segments"),
    Operation("retrieveSegment", "GET", "/segments/{segment_id}", "segments", "Retrieve a segment"),
    Operation(
        "attachSubscriptionTypeToContact",
        "POST",
        "/contacts/{contact_id}/subscriptions",
        "subscription_types",
        "Add subscription to a contact",
    ),
    Operation(
        "detachSubscriptionTypeToContact",
        "DELETE",
        "/contacts/{contact_id}/subscriptions/{subscription_id}",
        "subscription_types",
        "Remove subscription from a contact",
    ),
    Operation(
        "listSubscriptionTypes", "GET", "/subscription_types", "subscription_types", "List subscription types"
    ),
    Operation("attachTagToContact", "POST", "/contacts/{contact_id}/tags", "tags", "Add tag to a contact"),
    Operation(
        "createTag", "POST", "/tags", "tags", "Create or update a tag, Tag or untag companies, Tag contacts"
    ),
    Operation("deleteTag", "DELETE", "/tags/{tag_id}", "tags", "Delete tag"),
    Operation(
        "detachTagFromContact",
        "DELETE",
        "/contacts/{contact_id}/tags/{tag_id}",
        "tags",
        "Remove tag from a contact",
    ),
    Operation("findTag", "GET", "/tags/{tag_id}", "tags", "Find a specific tag"),
    Operation("listTags", "GET", "/tags", "tags", "List all tags"),
    Operation("listTeams", "GET", "/teams", "teams", "List all teams"),
    Operation("retrieveTeam", "GET", "/teams/{team_id}", "teams", "Retrieve a team"),
    Operation("convertVisitor", "POST", "/visitors/convert", "visitors", "Convert a visitor"),
    Operation("retrieveVisitorWithUserId", "GET", "/visitors", "visitors", "Retrieve a visitor with User ID"),
    Operation("updateVisitor", "PUT", "/visitors", "visitors", "Update a visitor"),
)

OPERATIONS: dict[str, Operation] = {op.operation_id: op for op in _OPERATIONS}


def operation(operation_id: str) -> Operation:
    return OPERATIONS[operation_id]
