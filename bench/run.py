"""`make bench`: the fake's speed on a realistic workspace, measured so that it cannot flatter.

    python bench/run.py [--size 100000] [--repeat 3] [--seconds 2] [--only PATTERN] [--json]

- The data: a workspace of `--size` contacts with tags, companies, notes and custom attributes, written by
  the bulk loader (bench/dataset.py) and cached by size; each run works on a copy.
- Over HTTP, against a real `fake-intercom serve` (uvicorn, one worker, 127.0.0.1): every search form of
  the targets below, GET by id, `email =`, creates, list pages at first, middle and last depth (with their
  `total_count`), reset, snapshot and restore of the big workspace while another workspace is queried,
  start-up time to the first answer on a new and on the big database, and the server's memory.
- Baselines in the same run: a bare FastAPI route serving the same bytes as the fake's GET contact, and
  Stoplight Prism on the official 2.15 description when Node.js is present. Every measure runs once per
  round, rounds repeat (`--repeat`, at least 3 for a spread), so the fake and its baselines alternate
  and share whatever else the machine is doing.
- Each run lasts `--seconds` (and at least 5 requests, up to 5x longer), one request at a time: p50 and
  p99 latency, requests per second, and the server's CPU time per request (read from the server process
  before and after: steadier than req/s on a shared machine).
- Every search follows an untimed write to the workspace, so that no count the fake keeps until the next
  write serves the same form twice: its figures are those of a search on data changed since the last.
- The table shows each figure beside its target and whether it is met. `--json` prints every figure
  instead. Results are kept per size in the cache folder: the 1M targets compare with 100k.

The targets (p50 unless said):
- at 100k contacts: every search form, list pages at any depth and sorted searches < 20 ms, `~` < 50 ms;
- at 1M: GET, indexed equality searches and list pages < 5 ms; the rest < 10x their 100k figure;
- reset, snapshot and restore of the 100k workspace < 200 ms each, and a GET on another workspace
  meanwhile p99 < 50 ms;
- GET contact: the server's CPU per request <= 2x the bare route's; memory flat as data grows;
- start-up to the first answer < 1 s on a new and on the big database; `create_app` < 150 ms.
"""

import argparse
import itertools
import json
import math
import os
import random
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson
import psutil

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import dataset, loadgen  # noqa: E402
from fake_intercom.pagination import encode_cursor  # noqa: E402
from fake_intercom.seed import PLANS  # noqa: E402
from fake_intercom.testing import free_port  # noqa: E402

HOST = "127.0.0.1"
PYTHON = sys.executable
BIN = Path(PYTHON).parent
SPEC = ROOT.parent / "shared" / "intercom-openapi" / "api.intercom.io.2.15.yaml"
PER_PAGE = 50
OTHER_TOKEN = "bench-other-token"
SAMPLES = 400
# The sizes with targets of their own.
SMALL, LARGE = 100_000, 1_000_000
MIN_SIZE = 200
STATE_BUDGET = 120.0  # seconds of reset/snapshot/restore before repetitions stop
STATE_MEASURES = ("snapshot", "restore", "reset to seed", "another workspace meanwhile")


def progress(message: str) -> None:
    print(f"· {message}", file=sys.stderr, flush=True)


# -- the forms measured over HTTP ----------------------------------------------------------------


@dataclass(frozen=True)
class Form:
    """One kind of request, sent over and over, and its targets."""

    name: str
    make: loadgen.RequestFactory
    server: str = "fake"  # or "bare", "prism"
    indexed: bool = False
    """An indexed lookup or a list page: at 1M it must stay under 5 ms; the rest under 10x their 100k."""
    at_100k: float | None = None
    """Its p50 target at 100k, in ms."""
    check: Callable[[httpx.Response], str | None] | None = None
    """Looks at one answer before the runs: None when it is what the form means to measure."""
    prepare: loadgen.RequestFactory | None = None
    """An untimed request made before each timed one (see `forms`)."""


@dataclass
class Sample:
    ids: list[str]
    emails: list[str]
    external_ids: list[str]
    surnames: list[str]
    list_cursors: dict[str, tuple[str, str]]
    """middle / last: (starting_after, the id that page starts with)."""
    sorted_cursor: tuple[str, str]
    """`role = user` by updated_at, at 90% of its pages."""


VISIBLE = "workspace_id = ? AND merged_into IS NULL AND COALESCE(archived, 0) = 0"


def sample(path: Path, size: int) -> Sample:
    """Contacts drawn at random from the whole workspace, and cursors deep into its lists, read from the
    database (walking 20,000 pages to reach the middle of 1M contacts would take longer than the run)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    try:
        (workspace_id,) = db.execute(
            "SELECT workspace_id FROM tokens WHERE token = ?", (dataset.TOKEN,)
        ).fetchone()
        (top,) = db.execute("SELECT max(rowid) FROM contacts").fetchone()
        rowids = random.Random(size).sample(range(1, top + 1), min(top, SAMPLES * 2))
        rows = db.execute(
            f"SELECT id, email, external_id, name FROM contacts WHERE {VISIBLE} "
            f"AND rowid IN ({', '.join('?' * len(rowids))}) LIMIT ?",
            (workspace_id, *rowids, SAMPLES),
        ).fetchall()
        (visible,) = db.execute(f"SELECT COUNT(*) FROM contacts WHERE {VISIBLE}", (workspace_id,)).fetchone()
        (users,) = db.execute(
            f"SELECT COUNT(*) FROM contacts WHERE {VISIBLE} AND role = 'user'", (workspace_id,)
        ).fetchone()

        def cursor(order: str, where: str, page: int) -> tuple[str, str]:
            """Where page `page` starts: the cursor of the page before it, as the fake hands it out."""
            before, first = db.execute(
                f"SELECT {order.split(',')[0].split()[0]} AS sort, id FROM contacts WHERE {VISIBLE} {where} "
                f"ORDER BY {order} LIMIT 2 OFFSET ?",
                (workspace_id, (page - 1) * PER_PAGE - 1),
            ).fetchall()
            return encode_cursor([before["sort"], before["id"], page - 1]), first["id"]

        pages = math.ceil(visible / PER_PAGE)
        by_created = "created_at DESC, id DESC"
        by_updated = "updated_at DESC, id DESC"
        return Sample(
            ids=[row["id"] for row in rows],
            emails=[row["email"] for row in rows if row["email"]],
            external_ids=[row["external_id"] for row in rows if row["external_id"]],
            surnames=[row["name"].split()[-1] for row in rows if row["name"]],
            list_cursors={
                "middle": cursor(by_created, "", max(2, pages // 2)),
                "last": cursor(by_created, "", max(2, pages)),
            },
            sorted_cursor=cursor(
                by_updated, "AND role = 'user'", max(2, int(math.ceil(users / PER_PAGE) * 0.9))
            ),
        )
    finally:
        db.close()


def forms(data: Sample, run_id: str) -> list[Form]:
    def pick(values: list[str], n: int) -> str:
        return values[n % len(values)]

    # Every search follows a write to the workspace (a contact renamed, untimed): nothing the fake keeps
    # until the next write (the counts of a search) serves a search twice, as it would when one form is
    # sent over and over. What is measured is a search on data changed since the last one.
    writer = data.ids[0]

    def write(n: int) -> tuple[str, str, bytes]:
        return "PUT", f"/contacts/{writer}", orjson.dumps({"name": f"Bench Writer {run_id} {n}"})

    def searched(name: str, make: loadgen.RequestFactory, **targets: Any) -> Form:
        return Form(f"{name}, after a write", make, prepare=write, **targets)

    def search(query: Callable[[int], dict[str, Any]], **extra: Any) -> loadgen.RequestFactory:
        def make(n: int) -> tuple[str, str, bytes]:
            body = {"query": query(n), "pagination": {"per_page": PER_PAGE, **extra.get("pagination", {})}}
            if "sort" in extra:
                body["sort"] = extra["sort"]
            return "POST", "/contacts/search", orjson.dumps(body)

        return make

    def starts_with(expected: str) -> Callable[[httpx.Response], str | None]:
        def check(response: httpx.Response) -> str | None:
            first = (response.json().get("data") or [{}])[0].get("id")
            if response.status_code != 200 or first != expected:
                return f"the page at depth did not start where expected ({response.status_code}, {first})"
            return None

        return check

    def condition(field: str, operator: str, value: Callable[[int], Any]) -> Callable[[int], dict[str, Any]]:
        return lambda n: {"field": field, "operator": operator, "value": value(n)}

    role_user = {"field": "role", "operator": "=", "value": "user"}
    by_updated = {"field": "updated_at", "order": "descending"}

    def list_after(cursor: str) -> loadgen.RequestFactory:
        return lambda n: ("GET", f"/contacts?per_page={PER_PAGE}&starting_after={cursor}", None)

    created = itertools.count()

    def create(n: int) -> tuple[str, str, bytes]:
        number = next(created)
        body = {
            "role": "user",
            "email": f"bench.{run_id}.{number}@example.com",
            "external_id": f"bench-{run_id}-{number}",
            "name": "Bench Contact",
            "custom_attributes": {"plan": "pro", "seats": 5},
        }
        return "POST", "/contacts", orjson.dumps(body)

    return [
        Form("GET /contacts/{id}", lambda n: ("GET", f"/contacts/{pick(data.ids, n)}", None), indexed=True),
        Form(
            "GET /contacts/{id}, bare FastAPI route, same bytes",
            lambda n: ("GET", f"/contacts/{pick(data.ids, n)}", None),
            server="bare",
        ),
        Form(
            "GET /contacts/{id}, Prism on the 2.15 description",
            lambda n: ("GET", f"/contacts/{pick(data.ids, n)}", None),
            server="prism",
        ),
        searched(
            "search email =", search(condition("email", "=", lambda n: pick(data.emails, n))), indexed=True
        ),
        searched(
            "search external_id =",
            search(condition("external_id", "=", lambda n: pick(data.external_ids, n))),
            indexed=True,
            at_100k=20,
        ),
        searched(
            "search custom_attributes.plan =",
            search(condition("custom_attributes.plan", "=", lambda n: PLANS[n % len(PLANS)])),
            indexed=True,
            at_100k=20,
        ),
        searched(
            "search AND[OR[email =, email =], role =]",
            search(
                lambda n: {
                    "operator": "AND",
                    "value": [
                        {
                            "operator": "OR",
                            "value": [
                                {"field": "email", "operator": "=", "value": pick(data.emails, n)},
                                {"field": "email", "operator": "=", "value": pick(data.emails, n + 1)},
                            ],
                        },
                        role_user,
                    ],
                }
            ),
            indexed=True,
            at_100k=20,
        ),
        searched(
            "search AND[role =, OR[plan =, seats >]]",
            search(
                lambda n: {
                    "operator": "AND",
                    "value": [
                        role_user,
                        {
                            "operator": "OR",
                            "value": [
                                {
                                    "field": "custom_attributes.plan",
                                    "operator": "=",
                                    "value": PLANS[n % len(PLANS)],
                                },
                                {"field": "custom_attributes.seats", "operator": ">", "value": 50 + n % 100},
                            ],
                        },
                    ],
                }
            ),
            at_100k=20,
        ),
        searched(
            "search name ~", search(condition("name", "~", lambda n: pick(data.surnames, n))), at_100k=50
        ),
        searched(
            "search role = user by updated_at, page 1",
            search(lambda n: role_user, sort=by_updated),
            at_100k=20,
        ),
        searched(
            "search role = user by updated_at, at 90%",
            search(
                lambda n: role_user, sort=by_updated, pagination={"starting_after": data.sorted_cursor[0]}
            ),
            at_100k=20,
            check=starts_with(data.sorted_cursor[1]),
        ),
        Form(
            "list contacts, first page",
            lambda n: ("GET", f"/contacts?per_page={PER_PAGE}", None),
            indexed=True,
            at_100k=20,
        ),
        *(
            Form(
                f"list contacts, {depth} page",
                list_after(cursor),
                indexed=True,
                at_100k=20,
                check=starts_with(first),
            )
            for depth, (cursor, first) in data.list_cursors.items()
        ),
        Form("list companies, first page", lambda n: ("GET", f"/companies?per_page={PER_PAGE}", None)),
        Form("POST /contacts", create),
    ]


# -- results -------------------------------------------------------------------------------------


@dataclass
class Row:
    name: str
    figure: str
    target: str = ""
    met: bool | None = None
    """None when this size has no target for it."""
    value: float | None = None
    """The figure the target is about (ms, s, a ratio, MB)."""
    details: dict[str, Any] = field(default_factory=dict)


def ms(value: float) -> str:
    return f"{value:.2f}" if value < 10 else f"{value:.1f}" if value < 100 else f"{value:,.0f}"


def rate(per_second: float) -> str:
    return f"{per_second:,.0f}" if per_second >= 10 else f"{per_second:.1f}"


def summarise(results: list[loadgen.Result]) -> dict[str, Any]:
    p50s = [result.p50_ms for result in results]
    cpus = [cpu for result in results if (cpu := result.cpu_ms_per_request) is not None]
    return {
        "p50_ms": statistics.median(p50s),
        "p50_ms_min": min(p50s),
        "p50_ms_max": max(p50s),
        "p99_ms": statistics.median(result.p99_ms for result in results),
        "requests_per_second": statistics.median(result.throughput for result in results),
        "cpu_ms_per_request": statistics.median(cpus) if cpus else None,
        "requests": sum(result.requests for result in results),
        "errors": sum(result.errors for result in results),
        "first_error": next((result.first_error for result in results if result.first_error), None),
        "rounds": [
            {
                "p50_ms": result.p50_ms,
                "p99_ms": result.p99_ms,
                "requests": result.requests,
                "seconds": result.seconds,
                "cpu_ms_per_request": result.cpu_ms_per_request,
            }
            for result in results
        ],
    }


def http_figure(summary: dict[str, Any]) -> str:
    figure = (
        f"p50 {ms(summary['p50_ms'])} ms [{ms(summary['p50_ms_min'])}-{ms(summary['p50_ms_max'])}]  "
        f"p99 {ms(summary['p99_ms'])}  {rate(summary['requests_per_second'])}/s"
    )
    if summary["cpu_ms_per_request"] is not None:
        figure += f"  CPU {ms(summary['cpu_ms_per_request'])} ms/req"
    if summary["errors"]:
        figure += f"  {summary['errors']} ERRORS"
    return figure


def http_target(form: Form, size: int, previous: dict[str, float]) -> tuple[str, float | None]:
    """The p50 target of `form` at this size: as printed, and its limit in ms (None: unchecked)."""
    if form.server != "fake":
        return "", None
    if size == SMALL and form.at_100k is not None:
        return f"p50 < {form.at_100k:g} ms", form.at_100k
    if size == LARGE:
        if form.indexed:
            return "p50 < 5 ms", 5.0
        if form.name not in previous:
            return "p50 < 10x 100k (no 100k run kept)", None
        return f"p50 < 10x 100k = {ms(10 * previous[form.name])} ms", 10 * previous[form.name]
    return "", None


def state_target(size: int, previous: dict[str, float], name: str) -> tuple[str, float | None]:
    if size == SMALL:
        return "< 200 ms", 200.0
    if size == LARGE and name in previous:
        return f"< 10x 100k = {ms(10 * previous[name])} ms", 10 * previous[name]
    return "", None


# -- servers -------------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    proc: subprocess.Popen[bytes]
    port: int
    log: Path
    headers: dict[str, str]

    @property
    def process(self) -> psutil.Process:
        return psutil.Process(self.proc.pid)

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def rss_mb(self) -> float:
        return float(self.process.memory_info().rss) / 1e6

    def wait(self, path: str, since: float, timeout: float) -> float:
        """Seconds from `since` to the first answer to `path` (polled every 10 ms)."""
        deadline = time.perf_counter() + timeout
        # One client for every poll: a new one per poll builds an SSL context each time, CPU taken from
        # the server being timed on a machine of few cores.
        with httpx.Client(headers=self.headers, timeout=5) as client:
            while time.perf_counter() < deadline:
                if self.proc.poll() is not None:
                    tail = self.log.read_text(errors="replace")[-800:]
                    raise RuntimeError(f"{self.name} exited with {self.proc.returncode}: {tail}")
                try:
                    if client.get(self.base_url + path).status_code < 500:
                        return time.perf_counter() - since
                except httpx.TransportError:
                    pass
                time.sleep(0.01)
        raise TimeoutError(f"{self.name} did not answer {path} within {timeout:.0f} s")


@contextmanager
def serve(
    name: str,
    args: list[str],
    headers: dict[str, str],
    port: int,
    folder: Path,
    env: dict[str, str] | None = None,
) -> Iterator[Server]:
    """A server we start in its own process group, stopped (by its id) when the block ends."""
    log = folder / f"{name.split()[0].lower()}-{port}.log"
    with log.open("wb") as output:
        proc = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield Server(name, proc, port, log, headers)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def fake_args(db: Path, port: int, token: str, seed: str = "none") -> list[str]:
    return [
        str(BIN / "fake-intercom"),
        "serve",
        *("--host", HOST, "--port", str(port), "--db", str(db), "--token", token, "--seed", seed),
        *("--rate-limit", "1000000000"),
    ]


def fake_headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Accept": "application/json"}


def prism_binary(cache: Path) -> tuple[Path | None, str]:
    """Prism from the cache, installed there with npm on first use; or None and why not."""
    if not shutil.which("node") or not shutil.which("npm"):
        return None, "Node.js (node and npm) is not installed"
    if not SPEC.exists():
        return None, f"the official description is not at {SPEC}"
    prefix = cache / "prism"
    prism = prefix / "node_modules" / ".bin" / "prism"
    if prism.exists():
        return prism, ""
    progress("installing Stoplight Prism with npm into the cache (once)")
    prefix.mkdir(parents=True, exist_ok=True)
    install = ["npm", "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "@stoplight/prism-cli@5"]
    try:
        done = subprocess.run(install, capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        return None, "npm install timed out"
    if done.returncode != 0 or not prism.exists():
        return None, "npm install failed: " + ((done.stderr.strip().splitlines() or ["?"])[-1][:80])
    return prism, ""


# -- the run -------------------------------------------------------------------------------------


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.size: int = args.size
        self.rows: list[Row] = []
        self.only = re.compile(args.only, re.IGNORECASE) if args.only else None
        self.previous = self._kept(SMALL) if self.size == LARGE else {}
        self.info: dict[str, Any] = {}

    def wanted(self, name: str) -> bool:
        return self.only is None or bool(self.only.search(name))

    def add(self, row: Row) -> None:
        self.rows.append(row)

    def target_row(
        self, name: str, figure: str, value: float | None, target: str, limit: float | None, **details: Any
    ) -> None:
        met = None if limit is None or value is None else value < limit
        self.add(Row(name, figure, target, met, value, details))

    # -- phases --

    def run(self) -> None:
        started = time.perf_counter()
        self.info = {
            "size": self.size,
            "repeat": self.args.repeat,
            "seconds": self.args.seconds,
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "load_average_at_start": os.getloadavg()[0],
        }
        progress(f"the {self.size:,}-contact database")
        built = dataset.cached(self.size, cache=self.args.cache, rebuild=self.args.rebuild)
        self.info["dataset"] = {
            "path": str(built.path),
            "megabytes": round(built.megabytes),
            "build_seconds": built.seconds,
            "build_cpu_seconds": built.cpu_seconds,
        }
        folder = Path(tempfile.mkdtemp(prefix="fake-intercom-bench-"))
        try:
            db = dataset.working_copy(built, folder)
            self.startup(db, folder)
            self.served(db, folder)
            self.in_process()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        self.info["load_average_at_end"] = os.getloadavg()[0]
        self.info["run_seconds"] = round(time.perf_counter() - started)
        self._keep()

    def startup(self, db: Path, folder: Path) -> None:
        """Launch to first answer, on a new database (seeded with the demo, as `fake-intercom serve` does
        by default) and on the big one; and the memory each holds after the same few hundred requests."""
        for label, path, token, seed in (
            ("new database", None, "sandbox-token", "demo"),
            (f"{self.size:,}-contact database", db, dataset.TOKEN, "none"),
        ):
            name = f"start-up to first answer, {label}"
            if not (self.wanted(name) or self.wanted("memory")):
                continue
            progress(name)
            seconds, rss = [], None
            for attempt in range(self.args.repeat):
                port = free_port()
                target = path or folder / f"new-{attempt}.db"
                began = time.perf_counter()
                with serve(
                    "fake-intercom", fake_args(target, port, token, seed), fake_headers(token), port, folder
                ) as fake:
                    seconds.append(fake.wait("/me", began, timeout=300))
                    if attempt == self.args.repeat - 1:
                        settle(fake)
                        rss = fake.rss_mb()
            median = statistics.median(seconds)
            self.target_row(
                name,
                f"{median:.2f} s [{min(seconds):.2f}-{max(seconds):.2f}]",
                median,
                "< 1 s",
                1.0,
                seconds=seconds,
            )
            self.info[f"rss_mb, {label}"] = rss
        new, big = (
            self.info.get("rss_mb, new database"),
            self.info.get(f"rss_mb, {self.size:,}-contact database"),
        )
        if new and big:
            self.target_row(
                "server memory after the same 300 requests, big / new database",
                f"{big:,.0f} MB / {new:,.0f} MB = {big / new:.2f}x",
                big / new,
                "flat: < 1.25x",
                1.25,
            )

    def served(self, db: Path, folder: Path) -> None:
        data = sample(db, self.size)
        all_forms = forms(data, uuid.uuid4().hex[:8])
        chosen = [form for form in all_forms if self.wanted(form.name)]
        if any(form.name == "GET /contacts/{id}" for form in chosen):
            chosen = [form for form in all_forms if form.server != "fake" or form in chosen]
        states = any(self.wanted(name) for name in STATE_MEASURES)
        if not chosen and not states and not self.wanted("memory"):
            return
        port = free_port()
        with ExitStack() as stack:
            fake = stack.enter_context(
                serve(
                    "fake-intercom",
                    fake_args(db, port, dataset.TOKEN),
                    fake_headers(dataset.TOKEN),
                    port,
                    folder,
                )
            )
            progress("starting the servers")
            fake.wait("/me", time.perf_counter(), timeout=300)
            rss_start = fake.rss_mb()
            servers = {"fake": fake}
            if any(form.server == "bare" for form in chosen):
                servers["bare"] = stack.enter_context(self._bare(fake, data, folder))
            unavailable: dict[str, str] = {}
            if any(form.server == "prism" for form in chosen):
                prism, reason = (None, "--no-prism") if self.args.no_prism else prism_binary(self.args.cache)
                if prism is None:
                    unavailable["prism"] = reason
                else:
                    servers["prism"] = stack.enter_context(self._prism(prism, folder))
            self.rounds(servers, chosen, unavailable)
            if states:
                self.state(fake)
            rss_end = fake.rss_mb()
            self.add(
                Row(
                    "server memory, start / end of this run",
                    f"{rss_start:,.0f} MB / {rss_end:,.0f} MB",
                    details={"start_mb": rss_start, "end_mb": rss_end},
                )
            )

    @contextmanager
    def _bare(self, fake: Server, data: Sample, folder: Path) -> Iterator[Server]:
        with httpx.Client(base_url=fake.base_url, headers=fake.headers) as client:
            bodies = {contact_id: client.get(f"/contacts/{contact_id}").text for contact_id in data.ids}
        bodies_file = folder / "bodies.json"
        bodies_file.write_text(json.dumps(bodies))
        port = free_port()
        args = [
            PYTHON,
            "-m",
            "uvicorn",
            "bench.bare:app",
            "--host",
            HOST,
            "--port",
            str(port),
            "--log-level",
            "warning",
        ]
        env = {**os.environ, "FAKE_INTERCOM_BENCH_BODIES": str(bodies_file)}
        with serve("bare FastAPI", args, fake.headers, port, folder, env=env) as bare:
            bare.wait(f"/contacts/{data.ids[0]}", time.perf_counter(), timeout=60)
            yield bare

    @contextmanager
    def _prism(self, prism: Path, folder: Path) -> Iterator[Server]:
        port = free_port()
        headers = {"Authorization": "Bearer bench", "Intercom-Version": "2.15", "Accept": "application/json"}
        args = [str(prism), "mock", "-h", HOST, "-p", str(port), str(SPEC)]
        with serve("Prism", args, headers, port, folder) as server:
            progress("waiting for Prism to read the description")
            server.wait("/me", time.perf_counter(), timeout=180)
            yield server

    def rounds(self, servers: dict[str, Server], chosen: list[Form], unavailable: dict[str, str]) -> None:
        """Every form once per round, `--repeat` rounds: the fake and its baselines take turns."""
        failures = {form.name: unavailable[form.server] for form in chosen if form.server in unavailable}
        for form in chosen:
            if form.check is not None and form.name not in failures:
                server = servers[form.server]
                method, path, body = form.make(0)
                headers = {**server.headers, "Content-Type": "application/json"}
                response = httpx.request(
                    method, server.base_url + path, content=body, headers=headers, timeout=loadgen.TIMEOUT
                )
                reason = form.check(response)
                if reason:
                    failures[form.name] = reason
        results: dict[str, list[loadgen.Result]] = {form.name: [] for form in chosen}
        for round_number in range(self.args.repeat):
            progress(f"round {round_number + 1} of {self.args.repeat}: {len(chosen) - len(failures)} forms")
            for form in chosen:
                if form.name in failures:
                    continue
                server = servers[form.server]
                try:
                    result = loadgen.run(
                        HOST,
                        server.port,
                        form.make,
                        headers=server.headers,
                        seconds=self.args.seconds,
                        server=server.process,
                        first_number=sum(done.requests + 1 for done in results[form.name]),
                        prepare=form.prepare,
                    )
                except (OSError, EOFError, ValueError, RuntimeError) as exc:
                    failures[form.name] = f"{type(exc).__name__}: {exc}"[:200]
                    continue
                results[form.name].append(result)
        for form in chosen:
            target, limit = http_target(form, self.size, self.previous)
            if form.name in failures:
                self.add(
                    Row(form.name, f"not measured: {failures[form.name]}", target, False if target else None)
                )
                continue
            summary = summarise(results[form.name])
            value = summary["p50_ms"]
            met = None if limit is None else value < limit and not summary["errors"]
            self.add(Row(form.name, http_figure(summary), target, met, value, summary))
        self._ratios({form.name: summarise(results[form.name]) for form in chosen if results[form.name]})

    def _ratios(self, summaries: dict[str, dict[str, Any]]) -> None:
        fake = summaries.get("GET /contacts/{id}")
        bare = summaries.get("GET /contacts/{id}, bare FastAPI route, same bytes")
        prism = summaries.get("GET /contacts/{id}, Prism on the 2.15 description")
        if fake and bare and fake["cpu_ms_per_request"] and bare["cpu_ms_per_request"]:
            ratio = fake["cpu_ms_per_request"] / bare["cpu_ms_per_request"]
            self.target_row(
                "GET contact: server CPU per request, fake / bare route",
                f"{ms(fake['cpu_ms_per_request'])} / {ms(bare['cpu_ms_per_request'])} ms = {ratio:.2f}x",
                ratio,
                "<= 2x",
                2.0 + 1e-9,
            )
        if fake and prism:
            speed = fake["requests_per_second"] / prism["requests_per_second"]
            self.add(
                Row(
                    "GET contact: requests per second, fake / Prism",
                    f"{rate(fake['requests_per_second'])} / {rate(prism['requests_per_second'])} = {speed:.2f}x",
                    value=speed,
                )
            )

    def state(self, fake: Server) -> None:
        """Snapshot, restore and reset of the big workspace over the control plane, each timed, while
        another workspace is asked for its contacts one request after another."""
        progress("snapshot, restore and reset of the big workspace, another workspace queried meanwhile")
        with httpx.Client(base_url=fake.base_url, timeout=loadgen.TIMEOUT) as control:
            control.post(
                "/_sandbox/workspaces", json={"name": "Other", "token": OTHER_TOKEN, "seed": "demo"}
            ).raise_for_status()
            listed = control.get("/contacts", params={"per_page": 50}, headers=fake_headers(OTHER_TOKEN))
            other_ids = [contact["id"] for contact in listed.raise_for_status().json()["data"]]
            workspaces = control.get("/_sandbox/workspaces").raise_for_status().json()["data"]
            big = next(workspace for workspace in workspaces if dataset.TOKEN in workspace["tokens"])
            prefix = f"/_sandbox/workspaces/{big['id']}"
            operations: dict[str, tuple[str, dict[str, Any] | None]] = {
                "snapshot": (f"{prefix}/snapshots", {"name": "bench"}),
                "restore": (f"{prefix}/snapshots/bench/restore", None),
                "reset to seed": (f"{prefix}/reset", {"to": "seed"}),
            }
            background = loadgen.Background(
                HOST,
                fake.port,
                lambda n: ("GET", f"/contacts/{other_ids[n % len(other_ids)]}", None),
                fake_headers(OTHER_TOKEN),
            )
            timings: dict[str, list[float]] = {name: [] for name in operations}
            windows: list[tuple[float, float]] = []
            background.start()
            try:
                time.sleep(0.5)
                began = time.perf_counter()
                for _ in range(self.args.repeat):
                    for name, (path, body) in operations.items():
                        started = time.perf_counter()
                        control.post(path, json=body).raise_for_status()
                        ended = time.perf_counter()
                        windows.append((started, ended))
                        timings[name].append((ended - started) * 1000)
                    if time.perf_counter() - began > STATE_BUDGET:
                        break
                time.sleep(0.3)
            finally:
                background.stop()
        for name, values in timings.items():
            median = statistics.median(values)
            row_name = f"{name} of the big workspace"
            target, limit = state_target(self.size, self.previous, row_name)
            figure = f"{ms(median)} ms [{ms(min(values))}-{ms(max(values))}] (n={len(values)})"
            self.target_row(row_name, figure, median, target, limit, milliseconds=values)
        during = background.latencies_during(windows)
        p99 = loadgen.percentile(during, 0.99) * 1000
        errors = background.result.errors
        self.add(
            Row(
                "GET on another workspace meanwhile, p99",
                f"p99 {ms(p99)} ms, max {ms(max(during) * 1000)} ms ({len(during)} requests, {errors} errors)",
                "< 50 ms",
                p99 < 50 and not errors,
                p99,
                {"requests": len(during), "errors": errors},
            )
        )

    def in_process(self) -> None:
        name = "create_app(), first in a new process"
        if not (self.wanted(name) or self.wanted("import")):
            return
        progress("create_app in-process")
        script = (
            "import time\n"
            "began = time.perf_counter()\n"
            "from fake_intercom import Settings, create_app\n"
            "imported = time.perf_counter()\n"
            "create_app(Settings())\n"
            "created = time.perf_counter()\n"
            "create_app(Settings())\n"
            "print(imported - began, created - imported, time.perf_counter() - created)\n"
        )
        runs = []
        for _ in range(self.args.repeat):
            output = subprocess.run(
                [PYTHON, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
            )
            runs.append([float(value) * 1000 for value in output.stdout.split()])
        imports, firsts, seconds = (statistics.median(column) for column in zip(*runs, strict=True))
        self.add(Row("import fake_intercom", f"{ms(imports)} ms", value=imports))
        self.target_row(
            name, f"{ms(firsts)} ms (again: {ms(seconds)} ms)", firsts, "< 150 ms", 150.0, runs=runs
        )

    # -- results kept between runs --

    def _kept(self, size: int) -> dict[str, float]:
        path = self.args.cache / f"results-{size}.json"
        return json.loads(path.read_text()) if path.exists() else {}

    def _keep(self) -> None:
        kept = self._kept(self.size)
        kept.update({row.name: row.value for row in self.rows if row.value is not None})
        (self.args.cache / f"results-{self.size}.json").write_text(json.dumps(kept, indent=1))

    # -- output --

    def table(self) -> str:
        if not self.rows:
            return f"no measure's name matches --only {self.args.only!r}"
        width = max(len(row.name) for row in self.rows)
        figure_width = max(len(row.figure) for row in self.rows)
        target_width = max([len(row.target) for row in self.rows] + [6])
        info = self.info
        lines = [
            f"fake-intercom benchmark: {self.size:,} contacts ({info['dataset']['megabytes']:,} MB; "
            + (
                "cached"
                if info["dataset"]["build_seconds"] is None
                else f"built in {info['dataset']['build_seconds']:.1f} s, "
                f"{info['dataset']['build_cpu_seconds']:.1f} s of CPU"
            )
            + f"), {info['repeat']} rounds of {info['seconds']:g} s runs, one uvicorn worker",
            f"{info['cpus']} CPUs, Python {info['python']}, load average {info['load_average_at_start']:.1f} at the "
            f"start and {info['load_average_at_end']:.1f} at the end: a shared machine makes absolute times noisy;"
            " CPU per request and ratios are steadier.",
            "p50 [lowest-highest p50 of the rounds], p99, requests/s with one connection, server CPU per request",
            "",
            f"{'measure':<{width}}  {'figure':<{figure_width}}  {'target':<{target_width}}  result",
        ]
        for row in self.rows:
            result = {True: "met", False: "NOT MET", None: ""}[row.met]
            line = (
                f"{row.name:<{width}}  {row.figure:<{figure_width}}  {row.target:<{target_width}}  {result}"
            )
            lines.append(line.rstrip())
        met = sum(row.met is True for row in self.rows)
        checked = sum(row.met is not None for row in self.rows)
        lines += ["", f"{met} of {checked} targets met (run took {info['run_seconds']} s)"]
        return "\n".join(lines)

    def json(self) -> str:
        return json.dumps({"run": self.info, "rows": [asdict(row) for row in self.rows]}, indent=1)


def settle(server: Server) -> None:
    """The same 300 cheap requests on any database, so that memory is compared after equal work."""
    with httpx.Client(base_url=server.base_url, headers=server.headers, timeout=60) as client:
        contacts = client.get("/contacts", params={"per_page": 50}).raise_for_status().json()["data"]
        for n in range(100):
            contact = contacts[n % len(contacts)]
            client.get(f"/contacts/{contact['id']}").raise_for_status()
            client.get("/contacts", params={"per_page": 50}).raise_for_status()
            query = {"field": "email", "operator": "=", "value": contact["email"] or "nobody@example.com"}
            client.post("/contacts/search", json={"query": query}).raise_for_status()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--size", type=int, default=SMALL, help="contacts in the big workspace (100000, 1000000...)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="rounds of every measure (default 3)")
    parser.add_argument("--seconds", type=float, default=2.0, help="length of each run (default 2)")
    parser.add_argument("--only", metavar="PATTERN", help="only the measures whose name matches this regex")
    parser.add_argument(
        "--json", action="store_true", help="print every figure as JSON (the table goes to stderr)"
    )
    parser.add_argument("--no-prism", action="store_true", help="leave out the Prism baseline")
    parser.add_argument("--rebuild", action="store_true", help="build the database again even if cached")
    parser.add_argument(
        "--cache", type=Path, default=dataset.CACHE, help=f"cache folder (default {dataset.CACHE})"
    )
    args = parser.parse_args()
    if args.size < MIN_SIZE or args.repeat < 1 or args.seconds <= 0:
        parser.error(f"--size must be at least {MIN_SIZE} (for pages deep in the lists), --repeat at least 1")
    bench = Bench(args)
    bench.run()
    if args.json:
        print(bench.table(), file=sys.stderr)
        print(bench.json())
    else:
        print(bench.table())


if __name__ == "__main__":
    main()
