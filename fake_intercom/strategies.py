"""Hypothesis strategies for Intercom requests: bodies, search queries and whole workspaces.

    from hypothesis import given
    from fake_intercom import strategies as ist

    @given(ist.contacts())
    def test_created_contacts_can_be_found(intercom_connector, body): ...

- `request_bodies(operation_id, **fields)`: a body for any operation of the table that takes one,
  generated from the contracts model the fake parses it with (`contracts.requests`). The models are
  as loose as Intercom's own parsing, so such a body has the right shape but may name things that do
  not exist; `fields` pins what your test knows (ids of records it made, an enum it cares about).
- `contacts()`, `companies()`, `tags()`, `data_attributes()`, `ticket_types()`, `events()`,
  `conversations(contact_ids)`, `messages(admin_ids, contact_ids)`, `replies(admin_ids)`,
  `notes(admin_ids)`, `tickets(ticket_type_id, contact_ids)`, `articles(author_ids)`: bodies that a
  workspace holding what you pass accepts (a 2xx), the same models with Intercom's rules for the
  fields the model leaves open (a contact's role, a conversation's sender...).
- `search_queries(resource)`: Intercom search queries for contacts, conversations or tickets: every
  searchable field (read from the fake's own search registry), every operator its type takes, values
  of that type (numbers also as the numeric strings Intercom accepts), AND/OR groups nested up to
  Intercom's limits; custom attributes of a workspace via `custom_attributes={name: data_type}`.
- `workspaces()`: `{collection: [bodies]}` records for `SandboxWorkspace.seed(records=...)` (or the
  `intercom_seed` marker): data attributes, companies, contacts, tags, ticket types, conversations and
  tickets, tied together with `{"$created": "contacts/0/id"}` references the control plane resolves.

Nothing here starts a server or touches a database: the strategies only describe requests.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from hypothesis import strategies as st

from contracts.jsonschema_strategies import from_schema
from contracts.operations import OPERATIONS
from contracts.requests import REQUEST_MODELS
from fake_intercom.resources._conversation_store import SEARCH_216 as CONVERSATION_SEARCH
from fake_intercom.resources.contacts import CONTACT_SEARCH
from fake_intercom.resources.data_attributes import BUILTINS, CUSTOM_MODELS
from fake_intercom.resources.ticket_types import CATEGORIES
from fake_intercom.resources.tickets import TICKET_SEARCH
from fake_intercom.search import (
    BOOLEAN,
    DATE,
    FLOAT,
    INTEGER,
    LIST_OPERATORS,
    MAX_DEPTH,
    MAX_FILTERS_PER_GROUP,
    NUMERIC_ID,
    STRING,
    SearchSpec,
)

__all__ = [
    "ABSENT",
    "articles",
    "companies",
    "contacts",
    "conversations",
    "data_attributes",
    "events",
    "messages",
    "notes",
    "replies",
    "request_bodies",
    "search_queries",
    "tags",
    "ticket_types",
    "tickets",
    "workspaces",
]


class _Absent:
    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()
"""Pass as a field of `request_bodies` to leave that field out of every body."""

FieldValue = Any
"""A value, a strategy of values, or `ABSENT`."""

# Readable text: letters, digits, punctuation and spaces of any script, never blank.
text = st.text(
    st.characters(codec="utf-8", categories=["L", "M", "N", "P", "S", "Zs"]), min_size=1, max_size=20
).filter(lambda value: value.strip() == value and value != "")
timestamps = st.integers(946_684_800, 4_102_444_800)  # 2000 .. 2100
"""Unix seconds, as every Intercom timestamp."""
_identifier = st.from_regex(r"[a-z][a-z0-9]{0,7}", fullmatch=True)
emails = st.builds("{}@{}.test".format, _identifier, _identifier)
"""Addresses Intercom stores as given (no plus-addressing or quoting to normalise)."""
urls = st.builds("https://{}.test/{}".format, _identifier, _identifier)


def _strategy(value: FieldValue) -> st.SearchStrategy[Any]:
    return value if isinstance(value, st.SearchStrategy) else st.just(value)


def _ids(values: Iterable[Any], what: str) -> st.SearchStrategy[Any]:
    values = list(values)
    if not values:
        raise ValueError(f"{what}: pass at least one id")
    return st.sampled_from(values)


def request_bodies(operation_id: str, **fields: FieldValue) -> st.SearchStrategy[dict[str, Any]]:
    """Bodies for `operation_id` (as in `contracts.operations`), from the model its route parses.

    Each of `fields` (wire names; `from_` for `from`) is always sent with that value, or drawn from
    that strategy, or left out when `ABSENT`. Search operations get `search_queries` as their query,
    page sizes within the limit and sorts on sortable fields.
    """
    model = REQUEST_MODELS.get(operation_id)
    if model is None:
        known = "unknown operation" if operation_id not in OPERATIONS else "takes no body"
        raise ValueError(f"{operation_id}: {known}")
    schema = model.model_json_schema(by_alias=True)
    pinned = {name.rstrip("_"): value for name, value in fields.items()}
    resource = _SEARCHED_BY.get(operation_id)
    if resource is not None:
        spec = SEARCH_SPECS[resource]
        sortable = sorted(name for name, field in spec.fields.items() if field.sortable)
        pinned.setdefault("query", search_queries(resource))
        pinned.setdefault(
            "pagination", st.none() | st.fixed_dictionaries({"per_page": st.integers(1, spec.max_per_page)})
        )
        pinned.setdefault(
            "sort",
            st.none()
            | st.fixed_dictionaries(
                {"field": st.sampled_from(sortable)},
                optional={"order": st.sampled_from(["ascending", "descending"])},
            ),
        )
    absent = {name for name, value in pinned.items() if value is ABSENT}
    properties = schema.get("properties", {})
    unknown = set(pinned) - set(properties)
    if unknown:
        raise ValueError(f"{operation_id} has no field {', '.join(sorted(unknown))}")
    schema = {**schema, "properties": {k: v for k, v in properties.items() if k not in absent}}
    schema["required"] = [name for name in schema.get("required", []) if name not in absent]
    overrides = {name: _strategy(value) for name, value in pinned.items() if name not in absent}
    return from_schema(schema, overrides)


def _bodies(
    operation_id: str, fields: dict[str, FieldValue], **defaults: FieldValue
) -> st.SearchStrategy[dict[str, Any]]:
    """`request_bodies` with Intercom's rules as defaults that the caller's `fields` override."""
    return request_bodies(operation_id, **{**defaults, **fields})


def _values_of(data_type: str) -> st.SearchStrategy[Any]:
    """Custom attribute values of an Intercom data type."""
    return {
        "string": text,
        "integer": st.integers(-(2**31), 2**31),
        "float": st.floats(-1e9, 1e9, allow_nan=False),
        "boolean": st.booleans(),
        "date": timestamps,
    }[data_type]


def _custom_attributes(attributes: Mapping[str, str] | None) -> FieldValue:
    if not attributes:
        return ABSENT
    return st.fixed_dictionaries({}, optional={name: _values_of(kind) for name, kind in attributes.items()})


def _unique_key(*names: str) -> list[Callable[[dict[str, Any]], Any]]:
    """`unique_by` keys: no two bodies share a value of these fields (ASCII case aside); absent
    values never clash."""
    return [
        lambda body, name=name: (
            str(body[name]).lower() if body.get(name) is not None else object()  # type: ignore[misc]
        )
        for name in names
    ]


def contacts(
    *,
    roles: Sequence[str] = ("user", "lead"),
    owner_ids: Iterable[str] = (),
    custom_attributes: Mapping[str, str] | None = None,
    **fields: FieldValue,
) -> st.SearchStrategy[dict[str, Any]]:
    """CreateContact bodies. `owner_ids`: admins who may own them; `custom_attributes`: the
    workspace's contact attributes, `{name: data_type}`. Emails and external ids are not made
    unique across examples: draw lists with `unique_contacts`."""
    owners = list(owner_ids)
    return _bodies(
        "CreateContact",
        fields,
        role=st.sampled_from(list(roles)),
        email=st.none() | emails,
        external_id=st.none() | _identifier,
        avatar=st.none() | urls,
        signed_up_at=st.none() | timestamps,
        last_seen_at=st.none() | timestamps,
        owner_id=st.sampled_from(owners) if owners else ABSENT,
        custom_attributes=_custom_attributes(custom_attributes),
    )


def unique_contacts(
    min_size: int = 0, max_size: int = 8, **options: Any
) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Lists of `contacts(**options)` a workspace accepts together (no two share an email or an
    external id)."""
    return st.lists(
        contacts(**options),
        min_size=min_size,
        max_size=max_size,
        unique_by=tuple(_unique_key("email", "external_id")),
    )


def companies(
    *, custom_attributes: Mapping[str, str] | None = None, **fields: FieldValue
) -> st.SearchStrategy[dict[str, Any]]:
    """createOrUpdateCompany bodies (an upsert keyed by `company_id`)."""
    return _bodies(
        "createOrUpdateCompany",
        fields,
        company_id=_identifier,
        name=text,
        website=st.none() | urls,
        remote_created_at=st.none() | timestamps,
        custom_attributes=_custom_attributes(custom_attributes),
    )


def tags(**fields: FieldValue) -> st.SearchStrategy[dict[str, Any]]:
    """createTag bodies that create (or find) a tag by name."""
    return _bodies("createTag", fields, name=text, id=ABSENT, companies=ABSENT, users=ABSENT)


_BUILTIN_NAMES = frozenset(builtin[0].lower() for model in CUSTOM_MODELS for builtin in BUILTINS[model])
_DATA_TYPES = ("string", "integer", "float", "boolean", "date")


def data_attributes(
    *, models: Sequence[str] = CUSTOM_MODELS, data_types: Sequence[str] = _DATA_TYPES, **fields: FieldValue
) -> st.SearchStrategy[dict[str, Any]]:
    """createDataAttribute bodies of custom attributes whose names clash with no built-in one."""
    names = st.from_regex(r"[a-z][a-z0-9_]{1,15}", fullmatch=True).filter(
        lambda name: name not in _BUILTIN_NAMES
    )
    return _bodies(
        "createDataAttribute",
        fields,
        name=names,
        model=st.sampled_from(list(models)),
        data_type=st.sampled_from(list(data_types)),
        options=ABSENT,
    )


def ticket_types(
    *, categories: Sequence[str] = CATEGORIES, **fields: FieldValue
) -> st.SearchStrategy[dict[str, Any]]:
    """createTicketType bodies (names are unique in a workspace: draw lists with `unique_by`)."""
    return _bodies("createTicketType", fields, name=text, category=st.sampled_from(list(categories)))


def events(*, contact_ids: Iterable[Any], **fields: FieldValue) -> st.SearchStrategy[dict[str, Any]]:
    """createDataEvent bodies for these contacts (by Intercom id), with flat metadata."""
    metadata = st.dictionaries(_identifier, text | st.integers(-(2**31), 2**31) | st.booleans(), max_size=5)
    return _bodies(
        "createDataEvent",
        fields,
        event_name=_identifier,
        created_at=timestamps,
        id=_ids(contact_ids, "events"),
        user_id=ABSENT,
        email=ABSENT,
        metadata=st.none() | metadata,
    )


def conversations(*, contact_ids: Iterable[Any], **fields: FieldValue) -> st.SearchStrategy[dict[str, Any]]:
    """createConversation bodies: a message from one of these contacts opens a conversation."""
    senders = st.fixed_dictionaries({"type": st.just("contact"), "id": _ids(contact_ids, "conversations")})
    return _bodies(
        "createConversation",
        fields,
        from_=senders,
        body=text,
        attachment_urls=st.none() | st.lists(urls, max_size=3),
        created_at=st.none() | timestamps,
    )


def messages(
    *, admin_ids: Iterable[str], contact_ids: Iterable[str], **fields: FieldValue
) -> st.SearchStrategy[dict[str, Any]]:
    """createMessage bodies: an admin's in-app message or email to one contact."""
    admins = _ids(admin_ids, "messages")
    contacts_ = _ids(contact_ids, "messages")
    return st.sampled_from(["in_app", "email"]).flatmap(
        lambda kind: _bodies(
            "createMessage",
            fields,
            message_type=kind,
            subject=text if kind == "email" else ABSENT,
            body=text,
            template=st.sampled_from(["plain", "personal"]) if kind == "email" else ABSENT,
            from_=st.fixed_dictionaries({"type": st.just("admin"), "id": admins}),
            to=st.fixed_dictionaries({"type": st.just("user"), "id": contacts_}),
            cc=ABSENT,
            bcc=ABSENT,
            created_at=st.none() | timestamps,
        )
    )


def replies(*, admin_ids: Iterable[str], **fields: FieldValue) -> st.SearchStrategy[dict[str, Any]]:
    """replyConversation bodies: an admin's comment or note."""
    return _bodies(
        "replyConversation",
        fields,
        message_type=st.sampled_from(["comment", "note"]),
        type="admin",
        admin_id=_ids(admin_ids, "replies"),
        body=text,
        intercom_user_id=ABSENT,
        user_id=ABSENT,
        email=ABSENT,
        created_at=ABSENT,
        attachment_urls=st.none() | st.lists(urls, max_size=3),
        attachment_files=ABSENT,
        reply_options=ABSENT,
    )


def notes(*, admin_ids: Iterable[str], **fields: FieldValue) -> st.SearchStrategy[dict[str, Any]]:
    """createNote bodies (POST /contacts/{contact_id}/notes)."""
    return _bodies(
        "createNote",
        fields,
        body=text,
        admin_id=_ids(admin_ids, "notes"),
        contact_id=ABSENT,
    )


_TICKET_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "string": text,
    "integer": st.integers(-(2**31), 2**31),
    "decimal": st.floats(-1e9, 1e9, allow_nan=False) | st.integers(-(2**31), 2**31),
    "boolean": st.booleans(),
    "datetime": timestamps,
    "files": st.just([]),
}


def ticket_attributes(
    ticket_type: Mapping[str, Any], *, all_required: bool = False
) -> st.SearchStrategy[dict[str, Any]]:
    """`ticket_attributes` for a ticket of `ticket_type` (the object GET /ticket_types/{id} returns):
    a value of its data type for every attribute required to create one (list attributes take a live
    option's label), some of the others. `all_required`: the title too, even where it is optional."""
    required: dict[str, st.SearchStrategy[Any]] = {}
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for attribute in (ticket_type.get("ticket_type_attributes") or {}).get("data") or []:
        if attribute.get("archived"):
            continue
        if attribute["data_type"] == "list":
            options = (attribute.get("input_options") or {}).get("list_options") or []
            labels = [option["label"] for option in options if not option.get("archived")]
            if not labels:
                continue
            values: st.SearchStrategy[Any] = st.sampled_from(labels)
        else:
            values = _TICKET_VALUES[attribute["data_type"]]
        needed = attribute.get("required_to_create") or (
            all_required and attribute["name"] == "_default_title_"
        )
        (required if needed else optional)[attribute["name"]] = values
    return st.fixed_dictionaries(required, optional=optional)


def tickets(
    *, ticket_type: Any, contact_ids: Iterable[Any], **fields: FieldValue
) -> st.SearchStrategy[dict[str, Any]]:
    """createTicket bodies of one ticket type about one of these contacts. Pass the ticket type as
    GET /ticket_types/{id} returns it, so that its attributes are filled; an id (or a `created`
    reference) alone gets a title (and a description) only, which a type with required attributes
    of its own refuses."""
    if isinstance(ticket_type, Mapping) and "id" in ticket_type:
        type_id: Any = ticket_type["id"]
        attributes = ticket_attributes(ticket_type, all_required=True)
    else:
        type_id = ticket_type
        attributes = st.fixed_dictionaries(
            {"_default_title_": text}, optional={"_default_description_": text}
        )
    return _bodies(
        "createTicket",
        fields,
        ticket_type_id=type_id,
        contacts=st.tuples(st.fixed_dictionaries({"id": _ids(contact_ids, "tickets")})).map(list),
        ticket_attributes=attributes,
        conversation_to_link_id=ABSENT,
        company_id=ABSENT,
        assignment=ABSENT,
        created_at=st.none() | timestamps,
    )


def articles(*, author_ids: Iterable[str], **fields: FieldValue) -> st.SearchStrategy[dict[str, Any]]:
    """createArticle bodies by one of these admins, outside any collection."""
    return _bodies(
        "createArticle",
        fields,
        title=text,
        author_id=_ids((int(author) for author in author_ids), "articles"),
        body=st.none() | text.map("<p>{}</p>".format),
        body_markdown=ABSENT,
        parent_id=ABSENT,
        parent_type=ABSENT,
        translated_content=ABSENT,
    )


# -- search ------------------------------------------------------------------------------------

SEARCH_SPECS: dict[str, SearchSpec] = {
    "contacts": CONTACT_SEARCH,
    "conversations": CONVERSATION_SEARCH,
    "tickets": TICKET_SEARCH,
}
OPERATION_OF_SEARCH = {
    "contacts": "SearchContacts",
    "conversations": "searchConversations",
    "tickets": "searchTickets",
}
_SEARCHED_BY = {operation_id: resource for resource, operation_id in OPERATION_OF_SEARCH.items()}
# Where each resource keeps the workspace's own attributes, and the data types they come in.
_CUSTOM_PREFIX = {"contacts": "custom_attributes.", "tickets": "ticket_attribute."}
_SEARCH_TYPES = {
    "string": STRING,
    "list": STRING,
    "integer": INTEGER,
    "float": FLOAT,
    "decimal": FLOAT,
    "boolean": BOOLEAN,
    "date": DATE,
    "datetime": DATE,
}


def _numeric(values: st.SearchStrategy[int]) -> st.SearchStrategy[int | str]:
    # Intercom accepts numbers as numeric strings too.
    return values | values.map(str)


_SEARCH_VALUES: dict[str, st.SearchStrategy[Any]] = {
    STRING: st.text(max_size=10),
    INTEGER: _numeric(st.integers(-(2**31), 2**31)),
    FLOAT: st.floats(-1e9, 1e9, allow_nan=False) | st.integers(-(2**31), 2**31),
    # A boolean is a JSON boolean: Intercom refuses "true" as a string (docs/fidelity.md).
    BOOLEAN: st.booleans(),
    DATE: _numeric(timestamps),
    # Conversation ids: digits compared as numbers, "" below every id (incremental syncs start there).
    NUMERIC_ID: st.just("") | _numeric(st.integers(0, 2**31)),
}


def search_queries(
    resource: str,
    *,
    custom_attributes: Mapping[str, str] | None = None,
    values: Mapping[str, st.SearchStrategy[Any]] | None = None,
    fields: Iterable[str] | None = None,
    max_group_size: int = 4,
) -> st.SearchStrategy[dict[str, Any]]:
    """Queries for POST /<resource>/search (`contacts`, `conversations` or `tickets`).

    `custom_attributes`: the workspace's own attributes, `{name: data_type}` (contacts: data
    attribute names; tickets: ticket type attribute ids). `values`: strategies for some fields' values
    (draw from what the workspace holds, so that queries find something). `fields`: search only these.
    Groups hold 1 to `max_group_size` members (at most 15, Intercom's limit) and nest two deep.
    """
    spec = SEARCH_SPECS.get(resource)
    if spec is None:
        raise ValueError(f"{resource!r}: Intercom searches {', '.join(SEARCH_SPECS)}")
    types = {
        name: (field.type, field.operators or spec.operators[field.type])
        for name, field in spec.fields.items()
    }
    if custom_attributes:
        prefix = _CUSTOM_PREFIX.get(resource)
        if prefix is None:
            raise ValueError(f"{resource} searches no custom attributes")
        for name, data_type in custom_attributes.items():
            kind = _SEARCH_TYPES[data_type]
            types[prefix + name] = (kind, spec.operators[kind])
    if fields is not None:
        wanted = list(fields)
        unknown = set(wanted) - set(types)
        if unknown:
            raise ValueError(f"{resource} cannot be searched by {', '.join(sorted(unknown))}")
        types = {name: types[name] for name in wanted}
    given_values = dict(values or {})
    if not 1 <= max_group_size <= MAX_FILTERS_PER_GROUP:
        raise ValueError(f"max_group_size must be between 1 and {MAX_FILTERS_PER_GROUP}")

    @st.composite
    def leaf(draw: st.DrawFn) -> dict[str, Any]:
        field = draw(st.sampled_from(sorted(types)))
        kind, operators = types[field]
        operator = draw(st.sampled_from(sorted(operators)))
        value = given_values.get(field, _SEARCH_VALUES[kind])
        if operator in LIST_OPERATORS:
            return {
                "field": field,
                "operator": operator,
                "value": draw(st.lists(value, min_size=1, max_size=3)),
            }
        if operator in ("=", "!=") and kind == STRING:
            value = value | st.none()  # null: the field has no value
        return {"field": field, "operator": operator, "value": draw(value)}

    def groups(members: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
        return st.fixed_dictionaries(
            {
                "operator": st.sampled_from(["AND", "OR"]),
                "value": st.lists(members, min_size=1, max_size=max_group_size),
            }
        )

    query: st.SearchStrategy[dict[str, Any]] = leaf()
    for _ in range(MAX_DEPTH):
        query = leaf() | groups(query)
    return query


# -- workspaces --------------------------------------------------------------------------------


def created(path: str) -> dict[str, str]:
    """A reference to a record made earlier in the same seed: `created("contacts/0/id")`."""
    return {"$created": path}


@st.composite
def workspaces(
    draw: st.DrawFn,
    *,
    max_contacts: int = 8,
    max_companies: int = 3,
    max_tags: int = 3,
    max_conversations: int = 6,
    max_tickets: int = 3,
    max_attributes: int = 2,
) -> dict[str, list[Any]]:
    """Records for `SandboxWorkspace.seed(records=...)`: custom contact attributes, companies, contacts
    (using those attributes), tags (each applied to some contacts), a ticket type, conversations
    started by the contacts and tickets about them. Contacts come first in `contacts`; references
    between records are `created(...)` paths the control plane resolves."""
    attributes = draw(
        st.lists(
            data_attributes(
                models=("contact",), data_types=_DATA_TYPES, description=ABSENT, messenger_writable=ABSENT
            ),
            max_size=max_attributes,
            unique_by=tuple(_unique_key("name")),
        )
    )
    custom = {attribute["name"]: attribute["data_type"] for attribute in attributes}
    people = draw(unique_contacts(max_size=max_contacts, custom_attributes=custom, owner_id=ABSENT))
    records: dict[str, list[Any]] = {}
    if attributes:
        records["data_attributes"] = attributes
    records["companies"] = draw(
        st.lists(
            companies(),
            max_size=max_companies,
            unique_by=tuple(_unique_key("company_id")),
        )
    )
    records["contacts"] = people
    if people:
        ids = [created(f"contacts/{index}/id") for index in range(len(people))]
        records["tags"] = [
            {
                **tag,
                "users": [
                    {"id": ref} for ref in draw(st.lists(st.sampled_from(ids), unique_by=str, max_size=3))
                ],
            }
            for tag in draw(st.lists(tags(), max_size=max_tags, unique_by=tuple(_unique_key("name"))))
        ]
        records["ticket_types"] = [{"name": "Question", "category": "Customer"}]
        records["conversations"] = draw(
            st.lists(
                conversations(contact_ids=ids, attachment_urls=ABSENT, subject=ABSENT),
                max_size=max_conversations,
            )
        )
        records["tickets"] = draw(
            st.lists(
                tickets(ticket_type=created("ticket_types/0/id"), contact_ids=ids),
                max_size=max_tickets,
            )
        )
    return records
