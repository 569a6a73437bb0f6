"""`make stress`: the reliability scenarios at full size against a real `fake-intercom serve` process.

200 workspaces written to by 64, 128 and 256 concurrent connections, kill -9 in the middle of a burst
and a restart, the hostile-input table, and the server's resident memory against the documented budget.
Bounded: a fixed number of requests per round, every request to 127.0.0.1. Prints what it measured and
exits non-zero when a guarantee does not hold.
"""

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from pathlib import Path

import httpx

from fake_intercom import Settings, create_app
from fake_intercom.testing import SyncASGITransport, serve_in_thread
from tests.reliability.scenarios import (
    ServerProcess,
    burst_until_killed,
    check_writes,
    integrity,
    large_bodies,
    new_workspaces,
    run_battery,
    run_raw_battery,
    write_burst,
)

# The README's budget for a server holding 200 busy workspaces with the default settings.
RSS_BUDGET_MB = 512


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workspaces", type=int, default=200)
    parser.add_argument("--connections", type=int, nargs="+", default=[64, 128, 256])
    parser.add_argument("--writes", type=int, default=25, help="writes per connection per round")
    options = parser.parse_args()
    started = time.monotonic()
    problems: list[str] = []

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "stress.db"
        server = ServerProcess(db, "--max-connections", str(max(options.connections) + 64)).start()
        try:
            tokens = new_workspaces(server.url, options.workspaces)
            print(f"{options.workspaces} workspaces, RSS {server.rss_mb():.0f} MB")
            peak = 0.0
            for connections in options.connections:
                round_started = time.monotonic()
                writes = asyncio.run(write_burst(server.url, tokens, connections, options.writes))
                lost, leaked = check_writes(server.url, writes)
                rss = server.rss_mb()
                peak = max(peak, rss)
                acknowledged = sum(len(ids) for ids in writes.acknowledged.values())
                print(
                    f"{connections:>4} connections: {acknowledged} writes acknowledged in "
                    f"{time.monotonic() - round_started:.1f} s, lost {lost}, crossed workspaces {leaked}, "
                    f"5xx {writes.server_errors}, "
                    f"unanswered {sum(writes.failures.values())} {dict(writes.failures)}, "
                    f"RSS {rss:.0f} MB"
                )
                if lost or leaked or writes.server_errors:
                    problems.append(f"{connections} connections: a write was lost, crossed or failed")
            journal_started = time.monotonic()
            statuses = asyncio.run(large_bodies(server.url, tokens, 64, 20, 60_000))
            rss = server.rss_mb()
            peak = max(peak, rss)
            print(
                f"journal fill: {sum(statuses.values())} requests of 60 KB over {len(tokens)} workspaces in "
                f"{time.monotonic() - journal_started:.1f} s, answers {dict(statuses)}, RSS {rss:.0f} MB"
            )
            if any(status >= 500 for status in statuses):
                problems.append("journal fill: a 5xx answer")
            print(f"peak RSS {peak:.0f} MB (budget {RSS_BUDGET_MB} MB)")
            if peak > RSS_BUDGET_MB:
                problems.append(f"RSS {peak:.0f} MB over the {RSS_BUDGET_MB} MB budget")

            crash_tokens = tokens[:50]
            writes = asyncio.run(burst_until_killed(server, crash_tokens, max(options.connections), 3.0))
        finally:
            server.stop()
        acknowledged = sum(len(ids) for ids in writes.acknowledged.values())
        after_kill = integrity(db)
        restarted = ServerProcess(db).start()
        try:
            lost, leaked = check_writes(restarted.url, writes)
        finally:
            restarted.stop()
        print(
            f"kill -9 mid-burst: {acknowledged} writes acknowledged, lost {lost} after restart, "
            f"5xx {writes.server_errors}, integrity_check {after_kill} / {integrity(db)}"
        )
        if lost or leaked or writes.server_errors or after_kill != "ok" or integrity(db) != "ok":
            problems.append("kill -9: an acknowledged write was lost or the database is damaged")

    app = create_app(Settings(token="stress-hostile"))
    transport = SyncASGITransport(app)
    try:
        with httpx.Client(base_url="http://fake-intercom.test", transport=transport, timeout=60) as client:
            outcomes = run_battery(client, app.state.store, app.state.workspace.id, "stress-hostile")
        with serve_in_thread(app) as url:
            logging.getLogger("uvicorn.error").setLevel(
                logging.ERROR
            )  # broken framing is logged, and expected
            outcomes += run_raw_battery(url)
    finally:
        transport.stop()
    refused = [outcome for outcome in outcomes if outcome.ok]
    print(
        f"hostile inputs: {len(refused)} of {len(outcomes)} answered with a 4xx error.list, nothing written"
    )
    for outcome in outcomes:
        if not outcome.ok:
            print(f"  NOT REFUSED: {outcome}")
            problems.append(f"hostile input {outcome.name!r}")

    print(f"duration {time.monotonic() - started:.0f} s")
    for problem in problems:
        print(f"FAILED: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
