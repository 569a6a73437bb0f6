"""Model-facing descriptions of the foundation tools: admins, teams, contacts, companies, tags, notes,
segments, subscription types, data attributes, data events and visitors."""

DESCRIPTIONS = {
    # admins
    "intercom_identify_admin": "Return the admin (teammate) who owns the access token, with the workspace (app) it belongs to: its id_code, name, region and time zone. Use it first to learn which workspace you are connected to, or to get an admin_id for tools that act as an admin.",
    "intercom_list_activity_logs": "List the workspace's admin activity log (sign-ins, setting changes, teammate and data changes) in a time range. created_at_after (required) and created_at_before are Unix timestamps in seconds, given as strings. Use it to audit who changed what and when.",
    "intercom_list_admins": "List every admin (teammate) in the workspace with id, name, email, away status and team ids. Use it to find an admin's id by name or email. Set display_avatar to include avatar image URLs.",
    "intercom_retrieve_admin": "Get one admin (teammate) by id: name, email, job title, away mode and team ids. Use it when you already have an admin_id and need their details.",
    "intercom_set_away_admin": "Turn an admin's away mode on or off. away_mode_enabled=true marks them away; away_mode_reassign=true also sends replies to their conversations to the default inbox while they are away. Both flags are required. Use it when a teammate goes off shift or comes back.",
    # teams
    "intercom_list_teams": "List every team in the workspace with its id, name and the ids of its admins. Use it to find a team id or to see who belongs to which team.",
    "intercom_retrieve_team": "Get one team by id: its name and the ids of its admins.",
    # contacts
    "intercom_archive_contact": "Archive a contact (user or lead): it leaves lists and searches but is kept, and intercom_unarchive_contact restores it. Use it to tidy up without losing data; intercom_delete_contact removes a contact for good.",
    "intercom_create_contact": "Create a contact: a user (a signed-up customer, usually with external_id or email) or a lead (a prospect). role is 'user' or 'lead'; give at least one of email, external_id or role. Answers 409 conflict when a contact with that email or external_id exists, so search first (intercom_search_contacts) when unsure. Timestamps are Unix seconds.",
    "intercom_delete_contact": "Permanently delete a contact by Intercom id. This cannot be undone; prefer intercom_archive_contact when the contact may be needed again.",
    "intercom_list_contacts": "List all contacts (users and leads) a page at a time. Set per_page (max 150) and pass pages.next.starting_after of the previous page as starting_after for the next one. To find contacts by email, name or attributes use intercom_search_contacts instead.",
    "intercom_merge_contacts": "Merge a lead into a user: `from` is the lead's Intercom id, `into` the user's. The lead's conversations and data move to the user and the lead is removed; this cannot be undone. Use it when an anonymous lead turns out to be a known user.",
    "intercom_retrieve_contact": "Get one contact by Intercom id with all its attributes (email, name, role, custom attributes, location, and references to its tags, notes and companies). To look a contact up by email or another attribute use intercom_search_contacts.",
    "intercom_search_contacts": 'Search contacts with Intercom\'s query language. query is one filter {"field": "email", "operator": "=", "value": "ann@example.com"} or a group {"operator": "AND" or "OR", "value": [filters]}. Operators: = != IN NIN > < ~ (contains) !~ ^ (starts with) $ (ends with). Fields include email, name, phone, external_id, role, created_at, updated_at, last_seen_at and custom_attributes.<name>; dates are Unix seconds. pagination is {"per_page": n, "starting_after": cursor}, the cursor being pages.next.starting_after of the previous page. Use it to find contacts by anything but their id.',
    "intercom_unarchive_contact": "Restore an archived contact so it shows in lists and searches again (undoes intercom_archive_contact).",
    "intercom_update_contact": "Update a contact by Intercom id: email, name, phone, role, external_id, owner_id or unsubscribed_from_emails. Only the fields you pass change. Setting role to 'user' turns a lead into a user.",
    "intercom_list_contact_companies": "List the companies a contact is attached to (contact by Intercom id).",
    "intercom_list_contact_segments": "List the segments a contact currently belongs to (contact by Intercom id).",
    "intercom_list_contact_subscriptions": "List a contact's subscription types (email and SMS topics) and whether the contact is opted in or out of each. Use it before changing a contact's subscriptions.",
    "intercom_list_contact_tags": "List the tags attached to a contact (contact by Intercom id).",
    "intercom_block_contact": "Block a contact by Intercom id: they can no longer message you and their conversations are archived. Use it for spam or abusive contacts.",
    "intercom_retrieve_contact_by_external_id": "Get a user contact by the external_id your own system gave it (not the Intercom id). Use it when you know your user id rather than Intercom's.",
    # companies
    "intercom_attach_contact_to_company": "Attach a contact to a company. contact_id is the contact's Intercom id; id is the company's Intercom id (the company's `id`, not your external company_id). Use it to record that a person belongs to an account.",
    "intercom_create_or_update_company": "Create a company, or update the one that already has this company_id (your external identifier for it). Use it to sync account data: name, plan, size, industry, website, monthly_spend, remote_created_at (Unix seconds).",
    "intercom_delete_company": "Permanently delete a company by its Intercom id (not the external company_id). Its contacts are kept. Cannot be undone.",
    "intercom_detach_contact_from_company": "Detach a contact from a company (both by Intercom id); the contact and the company are kept.",
    "intercom_list_companies": "Find companies by name, by your external company_id, or by tag_id or segment_id, a page at a time (page, per_page up to 60). Use it to get a company's Intercom id from its name or external id.",
    "intercom_list_company_contacts": "List the contacts attached to a company (company by Intercom id). Use it to see the people at an account.",
    "intercom_list_company_segments": "List the segments a company belongs to (company by Intercom id).",
    "intercom_retrieve_company": "Get one company by its Intercom id: name, company_id, plan, size, industry, user count, tags, segments and custom attributes.",
    "intercom_list_all_companies": "List all companies a page at a time (page, per_page up to 60, order 'asc' or 'desc'). Companies without any attached contact are not listed. To find one company by name or external id use intercom_list_companies.",
    "intercom_scroll_companies": "Walk through every company in large batches: call without scroll_param, then pass the scroll_param of each answer until data comes back empty. One scroll at a time per workspace; it expires after a minute unused. Use it for full exports, intercom_list_all_companies for browsing.",
    "intercom_update_company": "Update a company by its Intercom id (not the external company_id): name, plan, size, website, industry, monthly_spend or custom_attributes. Only the fields you pass change.",
    # tags
    "intercom_attach_tag_to_contact": "Tag a contact: attach an existing tag (id is the tag's id) to the contact (contact_id, its Intercom id). Create the tag first with intercom_create_or_update_tag when needed.",
    "intercom_create_or_update_tag": "Create a tag with the given name, or rename a tag by passing its id with the new name. Returns the tag with its id. Use it before tagging contacts.",
    "intercom_delete_tag": "Delete a tag by id; it disappears from every contact, company and conversation. Fails while a segment depends on it. Cannot be undone.",
    "intercom_detach_tag_from_contact": "Remove a tag from a contact; the tag and the contact are kept.",
    "intercom_list_tags": "List every tag in the workspace with its id and name. Use it to find a tag id by name.",
    "intercom_retrieve_tag": "Get one tag by id (its name and id). To find a tag's id from its name use intercom_list_tags.",
    # notes
    "intercom_create_contact_note": "Add an internal note to a contact (by Intercom id); notes are seen by teammates only, never by the contact. body is the text (HTML allowed); admin_id is the author. Use it to record context about a customer.",
    "intercom_list_contact_notes": "List the notes on a contact (by Intercom id), newest first, a page at a time.",
    "intercom_retrieve_note": "Get one note by id: its body, author and the contact it belongs to.",
    "intercom_list_company_notes": "List the notes on a company (by the company's Intercom id).",
    # segments
    "intercom_list_segments": "List every segment (saved contact filter) of the workspace. Set include_count to also get each segment's number of contacts.",
    "intercom_retrieve_segment": "Get one segment by id: its name, person type and contact count when known.",
    # subscription types
    "intercom_attach_subscription_to_contact": "Record a contact's consent for a subscription type (an email or SMS topic). id is the subscription type id (see intercom_list_subscription_types); consent_type is 'opt_in' or 'opt_out'. Use it when a customer asks to subscribe to or unsubscribe from a topic.",
    "intercom_detach_subscription_from_contact": "Remove a subscription type from a contact, undoing an earlier opt-in or opt-out so the type's default applies again.",
    "intercom_list_subscription_types": "List the workspace's subscription types (email and SMS topics) with their ids, names, consent type (opt_in or opt_out) and channels. Use it to get the ids needed to change a contact's subscriptions.",
    # data attributes
    "intercom_create_data_attribute": "Create a custom data attribute. name, model ('contact' or 'company') and data_type ('string', 'integer', 'float', 'boolean', 'date', 'datetime' or 'options') are required; for 'options' give at least two options as [{\"value\": \"...\"}]. Use it before storing a new kind of custom attribute.",
    "intercom_list_data_attributes": "List the data attributes, built-in and custom, of contacts, companies or conversations (model); include_archived adds archived ones. Use it to learn which attributes exist and their types before filtering or updating on them.",
    "intercom_update_data_attribute": "Update a custom data attribute by id: description, options, messenger_writable, or archive it with archived=true. Attributes cannot be deleted or renamed, only archived.",
    # data events
    "intercom_create_data_event": "Record that a contact did something: event_name (a past-tense verb-noun such as 'ordered-item'), created_at (Unix seconds) and one of id (Intercom id), user_id or email to name the contact; metadata holds extra key/values. Use it to track product activity.",
    "intercom_list_data_events": "List the events recorded for one contact. type must be 'user'; name the contact with user_id or intercom_user_id. Set summary=true for per-event counts and first/last times instead of every event.",
    "intercom_create_data_event_summaries": "Send aggregated counts of an event for a user (user_id): event_summaries is {event_name, count, first, last}, times in Unix seconds. Use it to backfill history without sending every event.",
    # visitors
    "intercom_convert_visitor": 'Convert a website visitor into a contact. type is \'user\' or \'lead\'; visitor names the visitor ({"id"}, {"user_id"} or {"email"}); user names an existing contact to merge into. Use it when an anonymous visitor signs up or is identified.',
    "intercom_retrieve_visitor": "Get a website visitor by its user_id (the visitor's user_id, not its Intercom id).",
    "intercom_update_visitor": "Update a visitor's name or custom attributes; id is the visitor's Intercom id (user_id may be given as well).",
}
