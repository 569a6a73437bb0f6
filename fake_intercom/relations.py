"""Tables that more than one resource reads or writes, declared once.

A resource's own table lives in its module; the tables here are shared because the object of one
resource embeds or filters by another (a contact embeds its tags, companies and notes; contact
search filters by tag, segment and company; a company lists its contacts).
"""

from fake_intercom.store import table

CONTACTS = table(
    "contacts",
    {
        "id": str,
        "role": str,  # user | lead
        "email": str,
        "email_domain": str,
        "external_id": str,
        "name": str,
        "phone": str,
        "owner_id": int,
        "created_at": int,
        "updated_at": int,
        "signed_up_at": int,
        "last_seen_at": int,
        "archived": int,
        "blocked": int,
        "merged_into": str,  # set when merged away: the contact then 404s (2.15) / 410s (2.16)
        "data": str,  # the contact's own fields as JSON, without the embedded lists
        "custom_attributes": str,  # JSON object
    },
    indexes=(
        ("workspace_id", "created_at", "id"),
        ("workspace_id", "updated_at", "id"),
        ("workspace_id", "email"),
        ("workspace_id", "external_id"),
        ("workspace_id", "role"),
    ),
)

COMPANIES = table(
    "companies",
    {
        "id": str,
        "company_id": str,  # the caller's own id, unique per workspace
        "name": str,
        "created_at": int,
        "updated_at": int,
        "last_request_at": int,
        "data": str,
        "custom_attributes": str,
    },
    indexes=(("workspace_id", "name"), ("workspace_id", "created_at", "id")),
    unique_indexes=(("workspace_id", "company_id"),),
)

COMPANY_CONTACTS = table(
    "company_contacts",
    {"company_id": str, "contact_id": str, "created_at": int},
    pk=("workspace_id", "company_id", "contact_id"),
    # Holding the company too, it answers "the companies of this contact" alone: the query planner then
    # prefers it to walking every link of the workspace along the primary key.
    indexes=(("workspace_id", "contact_id", "company_id"),),
)

TAGS = table("tags", {"id": str, "name": str, "data": str}, unique_indexes=(("workspace_id", "name"),))

# `applied_by` is the admin id that applied the tag.
CONTACT_TAGS = table(
    "contact_tags",
    {"contact_id": str, "tag_id": str, "applied_at": int, "applied_by": str},
    pk=("workspace_id", "contact_id", "tag_id"),
    indexes=(("workspace_id", "tag_id"),),
)
COMPANY_TAGS = table(
    "company_tags",
    {"company_id": str, "tag_id": str, "applied_at": int, "applied_by": str},
    pk=("workspace_id", "company_id", "tag_id"),
    indexes=(("workspace_id", "tag_id"),),
)

NOTES = table(
    "notes",
    {"id": str, "contact_id": str, "company_id": str, "created_at": int, "data": str},
    indexes=(("workspace_id", "contact_id", "created_at"), ("workspace_id", "company_id", "created_at")),
)

SEGMENTS = table("segments", {"id": str, "name": str, "person_type": str, "created_at": int, "data": str})
# member_id is a contact id or a company id (segments of companies).
SEGMENT_MEMBERS = table(
    "segment_members",
    {"segment_id": str, "member_id": str},
    pk=("workspace_id", "segment_id", "member_id"),
    indexes=(("workspace_id", "member_id"),),
)

SUBSCRIPTION_TYPES = table("subscription_types", {"id": str, "state": str, "consent_type": str, "data": str})
# consent is "opt_in" or "opt_out": the contact's explicit choice for that subscription type.
CONTACT_SUBSCRIPTIONS = table(
    "contact_subscriptions",
    {"contact_id": str, "subscription_type_id": str, "consent": str},
    pk=("workspace_id", "contact_id", "subscription_type_id"),
)

DATA_ATTRIBUTES = table(
    "data_attributes",
    {"id": str, "model": str, "name": str, "data_type": str, "archived": int, "data": str},
    unique_indexes=(("workspace_id", "model", "name"),),
)
