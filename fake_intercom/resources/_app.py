"""What a few resources need to know about the workspace as Intercom's backend sees it."""

import hashlib


def app_number(workspace_id: str) -> int:
    """The workspace's numeric id: some payloads (Fin Voice, workflow exports) carry `app_id` as an
    integer where the rest of the API uses the alphanumeric code. Stable for a given workspace."""
    digest = hashlib.sha256(f"app:{workspace_id}".encode()).digest()
    return 1_000_000 + int.from_bytes(digest[:4], "big") % 9_000_000
