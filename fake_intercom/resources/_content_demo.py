"""The demo workspace's knowledge base: what Fin answers from in `--seed demo`."""

from typing import Any

from fake_intercom.resources.ai_content import create_source, upsert_page
from fake_intercom.resources.articles import create_article
from fake_intercom.resources.content_snippets import create_snippet
from fake_intercom.resources.help_center import create_collection, create_help_center
from fake_intercom.resources.internal_articles import create_internal_article
from fake_intercom.resources.news import create_news_item, ensure_newsfeeds

COLLECTIONS = {
    "Billing & plans": "Invoices, payment methods and changing your plan.",
    "Account & login": "Signing in, passwords, two-factor authentication and teammates.",
    "Data & exports": "Importing, exporting and keeping your data safe.",
}
# (collection, title, body, published)
ARTICLES = [
    (
        "Billing & plans",
        "Where to find your invoices",
        "Invoices are emailed to the billing contact on the first day of each month. You can also download every "
        "past invoice from Settings > Billing > Invoices. Each invoice lists the seats and add-ons you were charged "
        "for.",
        True,
    ),
    (
        "Billing & plans",
        "Updating your payment method",
        "Go to Settings > Billing and choose Update card. The new card is charged from the next invoice onwards. "
        "If a payment fails we retry it three times over a week before pausing the workspace.",
        True,
    ),
    (
        "Billing & plans",
        "Upgrading or downgrading your plan",
        "Owners can change the plan from Settings > Billing > Plan. Upgrades take effect at once and are prorated. "
        "Downgrades apply at the end of the current billing period.",
        True,
    ),
    (
        "Billing & plans",
        "Requesting a refund",
        "Refunds are available within 30 days of a charge. Write to the billing team from the Messenger with the "
        "invoice number. Refunds reach your card within 5 to 10 business days.",
        True,
    ),
    (
        "Account & login",
        "Resetting your password",
        "Click Forgot password on the login page and enter your email address. We send a reset link that is valid "
        "for one hour. If the email does not arrive, check your spam folder.",
        True,
    ),
    (
        "Account & login",
        "Setting up two-factor authentication",
        "Open Settings > Security and choose Enable two-factor authentication. Scan the QR code with an "
        "authenticator app and enter the six-digit code. Keep your backup codes somewhere safe.",
        True,
    ),
    (
        "Account & login",
        "Inviting teammates",
        "Admins can invite teammates from Settings > Team. Each invitation is valid for seven days. Teammates join "
        "with the role you choose and can be removed at any time.",
        True,
    ),
    (
        "Account & login",
        "Fixing login problems with single sign-on",
        "If single sign-on fails, ask your identity provider admin to check the SAML certificate. Login with SSO "
        "needs the email domain to be verified. Owners can always sign in with a password as a fallback.",
        True,
    ),
    (
        "Data & exports",
        "Exporting your data as CSV",
        "Go to Reports and choose Export. The CSV file is emailed to you within a few minutes. Large exports are "
        "split into several files.",
        True,
    ),
    (
        "Data & exports",
        "Importing contacts from a spreadsheet",
        "Choose Contacts > Import and upload a CSV file with an email column. Map each column to an attribute "
        "before you confirm. Imports of more than 50,000 rows run in the background.",
        True,
    ),
    (
        "Data & exports",
        "How we keep your data secure",
        "Your data is encrypted in transit and at rest. Backups are taken every day and kept for 30 days. We are "
        "audited for SOC 2 every year.",
        True,
    ),
    (
        "Data & exports",
        "Deleting your workspace",
        "Owners can delete the workspace from Settings > General. Deletion is permanent after 14 days. Export your "
        "data first if you need a copy.",
        True,
    ),
    (
        "Data & exports",
        "Scheduling recurring exports",
        "Recurring exports are coming soon. You will be able to choose a daily or weekly schedule.",
        False,
    ),
    ("Billing & plans", "Annual billing discounts", "Draft: annual plans will get two months free.", False),
    ("Account & login", "Passkeys", "Draft: passkeys let you sign in without a password.", False),
]
INTERNAL_ARTICLES = [
    (
        "Refund approval policy",
        "Support can approve refunds up to 200 dollars without a manager. Larger refunds need the billing lead.",
    ),
    (
        "Escalating outages",
        "Page the on-call engineer through the incident channel, then post a status update within 15 minutes.",
    ),
]
NEWS_ITEMS = [
    (
        "Dark mode is here",
        "<p>Switch the dashboard to dark mode from your profile settings.</p>",
        ["Product"],
    ),
    ("Faster exports", "<p>CSV exports are now up to three times faster.</p>", ["Improvement"]),
    ("New billing page", "<p>Invoices and payment methods now live on one page.</p>", ["Product", "Billing"]),
]
EXTERNAL_PAGES = [
    (
        "api-rate-limits",
        "API rate limits",
        "<h1>API rate limits</h1><p>The API allows 1,000 requests per minute per workspace. Responses carry "
        "X-RateLimit headers so you can slow down before you are throttled.</p>",
    ),
    (
        "webhooks",
        "Receiving webhooks",
        "<h1>Receiving webhooks</h1><p>Register an HTTPS endpoint and we sign every webhook with your client "
        "secret. Respond within five seconds or we retry once a minute later.</p>",
    ),
]
SNIPPETS = [
    ("Support hours", "Our support team is available Monday to Friday, 9am to 6pm CET."),
    ("Refund window", "Refunds can be requested within 30 days of a charge."),
]


def seed_knowledge(seeder: Any) -> None:
    store, workspace = seeder.store, seeder.workspace
    admins = [int(admin_id) for admin_id in seeder.admin_ids]
    help_center = create_help_center(store, workspace, f"{workspace.name} Help Center")
    collections = {
        name: create_collection(
            store, workspace, name, description=description, help_center_id=help_center["id"]
        )
        for name, description in COLLECTIONS.items()
    }
    for collection, title, body, published in ARTICLES:
        create_article(
            store,
            workspace,
            title=title,
            body=body,
            author_id=seeder.rng.choice(admins),
            state="published" if published else "draft",
            parent_id=collections[collection]["id"],
            created_by=str(admins[0]),
        )
    for title, body in INTERNAL_ARTICLES:
        create_internal_article(
            store, workspace, title=title, body=body, author_id=admins[0], owner_id=admins[0]
        )
    ensure_newsfeeds(store, workspace)
    feed_id = store.scalar("SELECT id FROM newsfeeds WHERE workspace_id = ? LIMIT 1", (workspace.id,))
    for title, body, labels in NEWS_ITEMS:
        create_news_item(
            store,
            workspace,
            title=title,
            body=body,
            sender_id=admins[0],
            state="live",
            labels=labels,
            newsfeed_ids=[(feed_id, seeder.ago(30))],
        )
    source = create_source(store, workspace, "https://developers.example.com")
    for external_id, title, html in EXTERNAL_PAGES:
        upsert_page(
            store,
            workspace,
            source_id=source["id"],
            external_id=external_id,
            title=title,
            html=html,
            url=f"https://developers.example.com/{external_id}",
        )
    for title, text in SNIPPETS:
        create_snippet(
            store, workspace, title, [{"type": "paragraph", "text": text}], ai_chatbot=True, ai_copilot=True
        )
