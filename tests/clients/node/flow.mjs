// Intercom's official Node SDK (intercom-client), unmodified, drives a full flow against a running
// fake-intercom: FAKE_INTERCOM_URL and FAKE_INTERCOM_TOKEN name the server and an empty workspace,
// FAKE_INTERCOM_REVOKED_TOKEN a token that workspace revoked.
// Each step prints one JSON line; the first failure prints its step and error, and exits 1.
import assert from "node:assert/strict";
import { Intercom, IntercomClient, IntercomError } from "intercom-client";

const baseUrl = process.env.FAKE_INTERCOM_URL;
const token = process.env.FAKE_INTERCOM_TOKEN;
const client = new IntercomClient({ token, baseUrl, maxRetries: 0 });
const suffix = Date.now().toString(36);

async function step(name, run) {
    try {
        const detail = await run();
        console.log(JSON.stringify({ step: name, ok: true, ...(detail ?? {}) }));
    } catch (error) {
        console.log(JSON.stringify({ step: name, ok: false, error: String(error?.stack ?? error) }));
        process.exit(1);
    }
}

async function collect(pager) {
    const items = [];
    for await (const item of await pager) items.push(item);
    return items;
}

async function rejects(call, ErrorClass, status) {
    try {
        await call();
    } catch (error) {
        assert.ok(error instanceof ErrorClass, `${error?.constructor?.name} is not ${ErrorClass.name}`);
        assert.equal(error.statusCode, status);
        assert.equal(error.body.type, "error.list");
        return error.body.errors[0].code;
    }
    throw new Error(`expected ${ErrorClass.name}`);
}

const state = {};

await step("admins", async () => {
    const me = await client.admins.identify();
    assert.equal(me.type, "admin");
    assert.equal(me.avatar.type, "avatar");
    const admins = await client.admins.list();
    assert.ok(admins.admins.some((admin) => admin.id === me.id));
    const found = await client.admins.find({ admin_id: me.id });
    assert.equal(found.avatar.type, "avatar");
    state.admin = me.id;
    const away = await client.admins.away({ admin_id: me.id, away_mode_enabled: true, away_mode_reassign: false });
    assert.equal(away.away_mode_enabled, true);
    const logs = await client.admins.listAllActivityLogs({ created_at_after: "2020-01-01T00:00:00Z" });
    assert.ok(logs.activity_logs.length >= 1);
    return { admins: admins.admins.length, activity_logs: logs.activity_logs.length };
});

await step("contacts", async () => {
    const user = await client.contacts.create({ email: `ada-${suffix}@example.com`, external_id: `ada-${suffix}` });
    assert.equal(user.role, "user");
    const lead = await client.contacts.create({ role: "lead", name: "Grace" });
    const updated = await client.contacts.update({ contact_id: user.id, name: "Ada Lovelace" });
    assert.equal(updated.name, "Ada Lovelace");
    assert.equal((await client.contacts.find({ contact_id: user.id })).email, user.email);
    assert.equal((await client.contacts.showContactByExternalId({ external_id: `ada-${suffix}` })).id, user.id);
    // A body the description does not require may be absent (FIDELITY §11.6).
    assert.equal((await client.contacts.update({ contact_id: lead.id })).id, lead.id);
    for (let index = 0; index < 5; index++) {
        await client.contacts.create({ email: `page-${index}-${suffix}@example.com` });
    }
    const listed = await collect(client.contacts.list({ per_page: 2 }));
    assert.equal(listed.length, 7);
    assert.equal(new Set(listed.map((contact) => contact.id)).size, 7);
    const found = await collect(
        client.contacts.search({
            query: { field: "email", operator: "~", value: `-${suffix}@` },
            pagination: { per_page: 2 },
        }),
    );
    assert.equal(found.length, 6);
    state.user = user;
    state.lead = lead;
    return { listed: listed.length, searched: found.length };
});

await step("companies", async () => {
    const created = [];
    for (let index = 0; index < 3; index++) {
        const company = await client.companies.createOrUpdate({ company_id: `co-${index}-${suffix}`, name: `Co ${index}` });
        await client.companies.attachContact({ contact_id: state.user.id, id: company.id });
        created.push(company.id);
    }
    assert.equal((await client.companies.find({ company_id: created[0] })).id, created[0]);
    const attached = await collect(client.contacts.listAttachedCompanies({ contact_id: state.user.id, per_page: 2 }));
    assert.deepEqual(attached.map((company) => company.id).sort(), [...created].sort());
    const listed = await collect(client.companies.list({ per_page: 2 }));
    assert.equal(listed.length, 3);
    // The scroll ends where Intercom ends it: an empty page, then 404 for the used-up parameter.
    const scrolled = await collect(client.companies.scroll());
    assert.deepEqual(scrolled.map((company) => company.id).sort(), [...created].sort());
    const contacts = await client.companies.listAttachedContacts({ company_id: created[0] });
    assert.equal(contacts.data[0].id, state.user.id);
    state.company = created[0];
    return { listed: listed.length, scrolled: scrolled.length };
});

await step("tags", async () => {
    const tag = await client.tags.create({ name: `vip-${suffix}` });
    assert.equal((await client.tags.tagContact({ contact_id: state.user.id, id: tag.id })).id, tag.id);
    assert.deepEqual((await client.contacts.listAttachedTags({ contact_id: state.user.id })).data.map((t) => t.id), [tag.id]);
    assert.equal((await client.tags.find({ tag_id: tag.id })).name, tag.name);
    await client.tags.untagContact({ contact_id: state.user.id, tag_id: tag.id });
    assert.deepEqual((await client.contacts.listAttachedTags({ contact_id: state.user.id })).data, []);
    const spare = await client.tags.create({ name: `spare-${suffix}` });
    await client.tags.delete({ tag_id: spare.id });
    assert.ok((await client.tags.list()).data.every((t) => t.id !== spare.id));
    state.tag = tag;
});

await step("notes", async () => {
    for (const body of ["Prefers email", "Renewal booked", "Asked about SSO"]) {
        await client.notes.create({ contact_id: state.user.id, body, admin_id: state.admin });
    }
    const notes = await collect(client.notes.list({ contact_id: state.user.id, per_page: 2 }));
    assert.equal(notes.length, 3);
    assert.ok((await client.notes.find({ note_id: notes[0].id })).body.includes("<p>"));
    return { notes: notes.length };
});

await step("conversations", async () => {
    const message = await client.conversations.create({ from: { type: "user", id: state.user.id }, body: "My export is stuck" });
    assert.equal(message.type, "user_message");
    const id = message.conversation_id;
    const parts = (conversation) => conversation.conversation_parts.conversation_parts.map((part) => part.part_type);
    const replied = await client.conversations.reply({
        conversation_id: id,
        body: { message_type: "comment", type: "admin", admin_id: state.admin, body: "Looking into it" },
    });
    assert.equal(parts(replied).at(-1), "comment");
    const assigned = await client.conversations.manage({
        conversation_id: id,
        body: { message_type: "assignment", type: "admin", admin_id: state.admin, assignee_id: state.admin },
    });
    assert.equal(parts(assigned).at(-1), "assignment");
    const snoozed = await client.conversations.manage({
        conversation_id: id,
        body: { message_type: "snoozed", admin_id: state.admin, snoozed_until: replied.updated_at + 86400 },
    });
    assert.equal(snoozed.state, "snoozed");
    assert.equal(snoozed.open, true);
    const closed = await client.conversations.manage({
        conversation_id: id,
        body: { message_type: "close", type: "admin", admin_id: state.admin, body: "Fixed" },
    });
    assert.equal(closed.state, "closed");
    const reopened = await client.conversations.reply({
        conversation_id: id,
        body: { message_type: "comment", type: "user", body: "Stuck again", intercom_user_id: state.user.id },
    });
    assert.equal(reopened.state, "open");
    assert.equal(parts(reopened).at(-1), "open");
    await client.tags.tagConversation({ conversation_id: id, id: state.tag.id, admin_id: state.admin });
    const updated = await client.conversations.update({ conversation_id: id, read: true, title: "Export" });
    assert.equal(updated.title, "Export");
    for (let index = 0; index < 2; index++) {
        await client.conversations.create({ from: { type: "user", id: state.user.id }, body: `Question ${index}` });
    }
    const listed = await collect(client.conversations.list({ per_page: 2 }));
    assert.equal(listed.length, 3);
    const found = await collect(
        client.conversations.search({
            query: {
                operator: "AND",
                value: [
                    { field: "state", operator: "=", value: "open" },
                    { field: "tag_ids", operator: "=", value: state.tag.id },
                ],
            },
        }),
    );
    assert.deepEqual(found.map((conversation) => conversation.id), [id]);
    const byId = await collect(
        client.conversations.search({
            query: { field: "id", operator: ">", value: "" },
            pagination: { per_page: 2 },
            sort: { field: "id", order: "ascending" },
        }),
    );
    assert.deepEqual(byId.map((c) => c.id), listed.map((c) => c.id).sort((a, b) => Number(a) - Number(b)));
    state.conversation = id;
    return { listed: listed.length, parts: parts(reopened).length };
});

await step("tickets", async () => {
    const type = await client.ticketTypes.create({ name: `Bug ${suffix}`, category: "Customer", icon: "🐞" });
    const ticket = await client.conversations.convertToTicket({ conversation_id: Number(state.conversation), ticket_type_id: type.id });
    assert.equal(ticket.ticket_state.category, "submitted");
    const states = Object.fromEntries((await client.ticketTypes.get({ ticket_type_id: type.id })).ticket_states.data.map((s) => [s.category, s.id]));
    const moved = await client.tickets.update({ ticket_id: ticket.id, ticket_state_id: states.in_progress, admin_id: Number(state.admin) });
    assert.equal(moved.ticket_state.category, "in_progress");
    const second = await client.tickets.create({ ticket_type_id: type.id, contacts: [{ id: state.user.id }], ticket_attributes: { _default_title_: "Second" } });
    const reply = await client.tickets.reply({ ticket_id: second.id, body: { message_type: "comment", type: "admin", admin_id: state.admin, body: "On it" } });
    assert.equal(reply.type, "ticket_part");
    const found = await collect(
        client.tickets.search({ query: { field: "ticket_type_id", operator: "=", value: type.id }, pagination: { per_page: 1 } }),
    );
    assert.deepEqual(found.map((t) => t.id).sort(), [ticket.id, second.id].sort());
    return { tickets: found.length };
});

await step("articles and collections", async () => {
    const collection = await client.helpCenters.collections.create({ name: `Guides ${suffix}` });
    const renamed = await client.helpCenters.collections.update({ collection_id: collection.id, name: "How-to" });
    assert.equal(renamed.name, "How-to");
    const ids = [];
    for (let index = 0; index < 3; index++) {
        const article = await client.articles.create({
            title: `Article ${index}`,
            author_id: Number(state.admin),
            state: "draft",
            parent_id: Number(collection.id),
            parent_type: "collection",
        });
        ids.push(article.id);
    }
    const published = await client.articles.update({ article_id: Number(ids[0]), state: "published", body: "<p>Steps</p>" });
    assert.equal(published.state, "published");
    const listed = await collect(client.articles.list({ per_page: 2 }));
    assert.deepEqual(listed.map((a) => a.id).sort(), [...ids].sort());
    assert.equal((await client.articles.find({ article_id: Number(ids[1]) })).title, "Article 1");
    const collections = await collect(client.helpCenters.collections.list({ per_page: 1 }));
    assert.ok(collections.some((c) => c.id === collection.id));
    const centers = await collect(client.helpCenters.list());
    assert.ok(centers.length >= 1);
    assert.equal((await client.articles.delete({ article_id: Number(ids[2]) })).deleted, true);
    assert.equal((await client.helpCenters.collections.delete({ collection_id: Number(collection.id) })).deleted, true);
    return { articles: listed.length, collections: collections.length };
});

await step("events", async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const name of ["invited-friend", "exported-report", "invited-friend"]) {
        await client.events.create({ id: state.user.id, event_name: name, created_at: now - 60 });
    }
    const events = await client.events.list({ type: "user", intercom_user_id: state.user.id, per_page: 2 });
    assert.equal(events.type, "event.list");
    assert.ok(events.events.length >= 1);
    const summary = await client.events.list({ type: "user", intercom_user_id: state.user.id, summary: true });
    assert.ok(summary.events.length >= 1);
    return { events: events.events.length };
});

await step("data attributes", async () => {
    const attribute = await client.dataAttributes.create({ name: `tier_${suffix}`, model: "contact", data_type: "string" });
    // Path parameters only: the SDK sends no body at all (FIDELITY §11.6).
    const unchanged = await client.dataAttributes.update({ data_attribute_id: attribute.id });
    assert.equal(unchanged.id, attribute.id);
    const archived = await client.dataAttributes.update({ data_attribute_id: attribute.id, body: { archived: true } });
    assert.equal(archived.archived, true);
    const listed = await client.dataAttributes.list({ model: "contact", include_archived: true });
    assert.ok(listed.data.some((a) => a.id === attribute.id));
    return { attributes: listed.data.length };
});

await step("errors", async () => {
    const company = await rejects(() => client.companies.find({ company_id: "000000000000000000000000" }), Intercom.NotFoundError, 404);
    // Where the description documents no 404, the SDK throws its base class, still with the body.
    const contact = await rejects(() => client.contacts.find({ contact_id: "000000000000000000000000" }), IntercomError, 404);
    const stranger = new IntercomClient({ token: "not-a-token", baseUrl, maxRetries: 0 });
    const unauthorized = await rejects(() => stranger.tags.list(), Intercom.UnauthorizedError, 401);
    assert.equal(unauthorized, "unauthorized");
    // A revoked token is the same error class, with its own code.
    const revokedClient = new IntercomClient({ token: process.env.FAKE_INTERCOM_REVOKED_TOKEN, baseUrl, maxRetries: 0 });
    const revoked = await rejects(() => revokedClient.tags.list(), Intercom.UnauthorizedError, 401);
    assert.equal(revoked, "token_revoked");
    const bad = await rejects(
        () => client.companies.createOrUpdate({ company_id: `bad-${suffix}`, test: "unknown key" }),
        Intercom.BadRequestError,
        400,
    );
    const search = await rejects(() => client.contacts.search({ query: { field: "role", operator: "=", value: 5 } }), IntercomError, 400);
    const merged = await client.contacts.mergeLeadInUser({ from: state.lead.id, into: state.user.id });
    assert.equal(merged.id, state.user.id);
    return { codes: [company, contact, unauthorized, revoked, bad, search] };
});
