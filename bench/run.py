"""`make bench`: the fake's speed on this machine, measured in one run, against a bare FastAPI route.

Servers bind 127.0.0.1 only and are stopped at the end. Every measurement is bounded by a request
count and a duration, so the whole run stays within a few minutes.
"""

import asyncio
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402
from bench.workload import build  # noqa: E402

HOST = "127.0.0.1"
PYTHON = sys.executable
SPEC = ROOT.parent / "shared" / "intercom-openapi" / "api.intercom.io.2.15.yaml"
PRISM_CACHE = Path(
    os.environ.get("FAKE_INTERCOM_BENCH_CACHE", Path.home() / ".cache" / "fake-intercom-bench")
)
HTTP_COUNT, HTTP_SECONDS = 4_000, 3.0
ASGI_COUNT, ASGI_SECONDS = 1_500, 1.5

rows: list[tuple[str, str]] = []
targets: list[tuple[str, bool, str]] = []


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, seconds: float = 120, headers: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    deadline = started + seconds
    while time.perf_counter() < deadline:
        try:
            if httpx.get(url, headers=headers, timeout=1).status_code < 500:
                return time.perf_counter() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"{url} did not answer within {seconds}s")


@contextmanager
def process(args: list[str], **kwargs: Any) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(args, cwd=ROOT, start_new_session=True, **kwargs)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


# -- the operations ---------------------------------------------------------------------------


def operations(info: dict[str, Any]) -> dict[str, load.RequestFactory]:
    ids, emails = info["contact_ids"], info["emails"]

    def search(n: int) -> tuple[str, str, bytes]:
        query = {"query": {"field": "email", "operator": "=", "value": emails[n % len(emails)]}}
        return "POST", "/contacts/search", json.dumps(query).encode()

    return {
        "GET a contact": lambda n: ("GET", f"/contacts/{ids[n % len(ids)]}", None),
        "POST /contacts": lambda n: (
            "POST",
            "/contacts",
            json.dumps({"email": f"bench{n}@example.com"}).encode(),
        ),
        "search contacts (10k)": search,
        "list conversations": lambda n: ("GET", "/conversations?per_page=20", None),
    }


def bare_op(n: int) -> tuple[str, str, None]:
    return "GET", "/bare", None


def fmt(result: load.Result, baseline: load.Result) -> str:
    ratio = result.throughput / baseline.throughput if baseline.throughput else float("nan")
    errors = f"  {result.errors} errors!" if result.errors else ""
    return (
        f"{result.throughput:8.0f} req/s  p50 {result.p50_ms:6.2f} ms  p99 {result.p99_ms:6.2f} ms  "
        f"x{ratio:4.2f} of bare{errors}"
    )


# -- HTTP -------------------------------------------------------------------------------------


def measure_http() -> load.Result:
    """Each operation over HTTP against one uvicorn worker; returns GET-a-contact's result."""
    bare_port, fake_port = free_port(), free_port()
    info_file = Path(tempfile.mkdtemp()) / "info.json"
    bare_args = [PYTHON, "-m", "uvicorn", "bench.bare:app", "--host", HOST, "--port", str(bare_port)]
    with (
        process([*bare_args, "--log-level", "warning"]),
        process([PYTHON, "bench/serve.py", str(fake_port), str(info_file)]),
    ):
        say("building the 10,000-contact workspace in the server process...")
        wait_for(f"http://{HOST}:{bare_port}/bare")
        wait_for(f"http://{HOST}:{fake_port}/openapi.json", seconds=170)
        info = json.loads(info_file.read_text())
        headers = {"Authorization": f"Bearer {info['token']}", "Accept": "application/json"}
        baseline = load.run(HOST, bare_port, bare_op, count=HTTP_COUNT, seconds=HTTP_SECONDS)
        rows.append(("HTTP  bare FastAPI route", fmt(baseline, baseline)))
        first: load.Result | None = None
        for name, make in operations(info).items():
            say(f"HTTP: {name}")
            result = load.run(HOST, fake_port, make, headers=headers, count=HTTP_COUNT, seconds=HTTP_SECONDS)
            rows.append((f"HTTP  {name}", fmt(result, baseline)))
            first = first or result
        assert first is not None
        ratio = first.throughput / baseline.throughput
        targets.append(("GET contact over HTTP >= 0.5x bare route", ratio >= 0.5, f"x{ratio:.2f}"))
        return first


# -- in-process -------------------------------------------------------------------------------


async def _asgi(
    app: Any, make: load.RequestFactory, headers: dict[str, str], count: int, seconds: float
) -> load.Result:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench", headers=headers) as client:
        for n in range(50):
            method, path, body = make(n)
            await client.request(method, path, content=body, headers={"Content-Type": "application/json"})
        result = load.Result(0, 0.0, [], 0)
        started = time.perf_counter()
        for n in range(50, 50 + count):
            if time.perf_counter() - started > seconds:
                break
            method, path, body = make(n)
            began = time.perf_counter()
            response = await client.request(
                method, path, content=body, headers={"Content-Type": "application/json"}
            )
            result.latencies.append(time.perf_counter() - began)
            result.requests += 1
            result.errors += response.status_code >= 400
        result.seconds = time.perf_counter() - started
        return result


def asgi(
    app: Any, make: load.RequestFactory, headers: dict[str, str], count: int = ASGI_COUNT
) -> load.Result:
    return asyncio.run(_asgi(app, make, headers, count, ASGI_SECONDS))


def measure_in_process() -> None:
    from bench.bare import app as bare_app

    say("building the 10,000- and 100,000-contact workspaces in-process...")
    workload = build(big=100_000)
    rows.append(("workspaces built (10k + 100k contacts)", f"{workload['build_seconds']:.1f} s"))
    app, store = workload["app"], workload["app"].state.store
    headers = {"Authorization": f"Bearer {workload['token']}"}
    info = {"contact_ids": workload["contact_ids"], "emails": workload["emails"]}
    baseline = asgi(bare_app, bare_op, {})
    rows.append(("ASGI  bare FastAPI route", fmt(baseline, baseline)))
    for name, make in operations(info).items():
        say(f"in-process: {name}")
        rows.append((f"ASGI  {name}", fmt(asgi(app, make, headers), baseline)))

    say("search on 100,000 contacts")
    big = store.workspace_for_token(workload["big_token"])
    emails = [
        row["email"]
        for row in store.query(
            "SELECT email FROM contacts WHERE workspace_id = ? AND email IS NOT NULL ORDER BY random() LIMIT 200",
            (big.id,),
        )
    ]

    def search_big(n: int) -> tuple[str, str, bytes]:
        query = {"query": {"field": "email", "operator": "=", "value": emails[n % len(emails)]}}
        return "POST", "/contacts/search", json.dumps(query).encode()

    big_headers = {"Authorization": f"Bearer {workload['big_token']}"}
    result = asgi(app, search_big, big_headers, count=300)
    rows.append(
        ("search contacts (100k), email =", f"p50 {result.p50_ms:.2f} ms  p99 {result.p99_ms:.2f} ms")
    )
    targets.append(("search on 100,000 contacts < 20 ms p50", result.p50_ms < 20, f"{result.p50_ms:.2f} ms"))

    def search_range(n: int) -> tuple[str, str, bytes]:
        query = {
            "query": {
                "operator": "AND",
                "value": [
                    {"field": "role", "operator": "=", "value": "user"},
                    {"field": "name", "operator": "~", "value": "Maya"},
                ],
            },
            "pagination": {"per_page": 50},
        }
        return "POST", "/contacts/search", json.dumps(query).encode()

    result = asgi(app, search_range, big_headers, count=60)
    rows.append(
        ("search contacts (100k), role AND name ~", f"p50 {result.p50_ms:.2f} ms (unindexed contains)")
    )

    say("cursor pages 1 and 500")
    measure_paging(app, headers)
    say("reset, snapshot restore, start-up")
    measure_state(store, workload)


def measure_paging(app: Any, headers: dict[str, str]) -> None:
    async def walk() -> tuple[list[float], list[float]]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench", headers=headers) as client:
            cursor, page = None, 1
            while page < 500:
                params = {"per_page": 20, **({"starting_after": cursor} if cursor else {})}
                body = (await client.get("/contacts", params=params)).json()
                cursor = (body["pages"].get("next") or {}).get("starting_after")
                page += 1
            assert cursor, "fewer than 500 pages"

            async def timed(params: dict[str, Any]) -> float:
                began = time.perf_counter()
                response = await client.get("/contacts", params=params)
                assert response.status_code == 200
                return time.perf_counter() - began

            first, last = [], []
            for _ in range(60):
                first.append(await timed({"per_page": 20}))
                last.append(await timed({"per_page": 20, "starting_after": cursor}))
            return first, last

    first, last = asyncio.run(walk())
    p1, p500 = statistics.median(first) * 1000, statistics.median(last) * 1000
    rows.append(("cursor listing page 1 / page 500", f"{p1:.2f} ms / {p500:.2f} ms (x{p500 / p1:.2f})"))
    targets.append(("page 500 costs < 1.5x page 1", p500 / p1 < 1.5, f"x{p500 / p1:.2f}"))


def measure_state(store: Any, workload: dict[str, Any]) -> None:
    from fake_intercom.sandbox import provision_workspace, reset

    demo = provision_workspace(store, name="Reset", token="bench-reset", seed="demo", workspace_id="benchrst")
    to_seed, to_empty = [], []
    for _ in range(15):
        began = time.perf_counter()
        demo = reset(store, demo, "empty")
        to_empty.append(time.perf_counter() - began)
        began = time.perf_counter()
        demo = reset(store, demo, "seed")
        to_seed.append(time.perf_counter() - began)
    empty_ms, seed_ms = statistics.median(to_empty) * 1000, statistics.median(to_seed) * 1000
    rows.append(("reset demo workspace: to empty / to seed", f"{empty_ms:.2f} ms / {seed_ms:.2f} ms"))
    targets.append(("reset < 20 ms", max(empty_ms, seed_ms) < 20, f"{max(empty_ms, seed_ms):.2f} ms"))

    workspace = workload["workspace"]
    began = time.perf_counter()
    store.snapshot_workspace(workspace, "bench")
    snapshot_ms = (time.perf_counter() - began) * 1000
    restores = []
    for _ in range(5):
        began = time.perf_counter()
        store.restore_workspace(workspace, "bench")
        restores.append(time.perf_counter() - began)
    restore_ms = statistics.median(restores) * 1000
    rows.append(("snapshot / restore, 10,000 contacts", f"{snapshot_ms:.1f} ms / {restore_ms:.1f} ms"))


def measure_startup() -> None:
    port = free_port()
    args = [
        PYTHON,
        "-m",
        "fake_intercom.cli",
        "serve",
        "--host",
        HOST,
        "--port",
        str(port),
        "--db",
        ":memory:",
    ]
    for seed in ("none", "demo"):
        with process([*args, "--seed", seed], stderr=subprocess.DEVNULL):
            seconds = wait_for(f"http://{HOST}:{port}/me", headers={"Authorization": "Bearer sandbox-token"})
        rows.append((f"start-up to first answer (seed {seed})", f"{seconds:.2f} s"))


# -- Prism ------------------------------------------------------------------------------------


def measure_prism(ours: load.Result | None) -> None:
    if not shutil.which("node") or not shutil.which("npm"):
        rows.append(("Prism comparison", "skipped: Node.js (node/npm) is not installed"))
        return
    if not SPEC.exists():
        rows.append(("Prism comparison", f"skipped: the official spec is not at {SPEC}"))
        return
    prism = PRISM_CACHE / "node_modules" / ".bin" / "prism"
    if not prism.exists():
        say("installing Stoplight Prism from the npm registry into the cache...")
        PRISM_CACHE.mkdir(parents=True, exist_ok=True)
        install = [
            "npm",
            "install",
            "--prefix",
            str(PRISM_CACHE),
            "--no-audit",
            "--no-fund",
            "--fetch-retries=0",
            "--fetch-timeout=20000",
            "@stoplight/prism-cli@5",
        ]
        try:
            done = subprocess.run(install, capture_output=True, text=True, timeout=120)
        except subprocess.TimeoutExpired:
            rows.append(("Prism comparison", "skipped: npm install timed out (no network?)"))
            return
        if done.returncode != 0 or not prism.exists():
            reason = (done.stderr.strip().splitlines() or ["unknown error"])[-1][:90]
            rows.append(("Prism comparison", f"skipped: npm install failed ({reason})"))
            return
    if ours is None:
        rows.append(("Prism comparison", "skipped: the HTTP measurement of the fake did not run"))
        return
    port = free_port()
    with process(
        [str(prism), "mock", "-h", HOST, "-p", str(port), str(SPEC)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    ):
        wait_for(f"http://{HOST}:{port}/me", seconds=90, headers={"Authorization": "Bearer x"})
        result = load.run(
            HOST,
            port,
            lambda n: ("GET", "/contacts/6762f0d01bb69f9f2193bb7d", None),
            headers={"Authorization": "Bearer x", "Intercom-Version": "2.15"},
            count=HTTP_COUNT,
            seconds=HTTP_SECONDS,
        )
    ratio = ours.throughput / result.throughput if result.throughput else float("inf")
    rows.append(("HTTP  Prism GET a contact", f"{result.throughput:8.0f} req/s  p50 {result.p50_ms:6.2f} ms"))
    targets.append(("GET contact over HTTP >= 3x Prism", ratio >= 3, f"x{ratio:.2f}"))


def main() -> None:
    started = time.perf_counter()
    ours = None
    steps: list[Callable[[], Any]] = [measure_http, measure_in_process, measure_startup]
    for step in steps:
        try:
            result = step()
            if step is measure_http:
                ours = result
        except Exception as exc:  # a failed step is reported, the others still run
            rows.append((step.__name__, f"failed: {type(exc).__name__}: {exc}"[:120]))
    measure_prism(ours)
    width = max(len(name) for name, _ in rows)
    cores = os.cpu_count()
    print(
        f"\nfake-intercom benchmark ({cores} CPU cores, Python {sys.version.split()[0]}, one uvicorn worker)\n"
    )
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")
    print("\ntargets")
    for name, met, value in targets:
        print(f"  [{'met' if met else 'GAP'}] {name}: {value}")
    print(f"\n(run took {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
