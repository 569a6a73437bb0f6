"""The benchmark itself: a short run end to end, and the parts that keep it honest."""

import asyncio
import importlib
import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest

from bench import loadgen, run

ROOT = Path(__file__).resolve().parents[2]


def test_a_short_run_measures_the_fake_beside_its_baseline(tmp_path: Path) -> None:
    only = r"GET /contacts/\{id\}|last page|plan =|snapshot|restore|reset|meanwhile"
    command = [sys.executable, "bench/run.py", "--size", "200", "--repeat", "1", "--seconds", "0.2"]
    command += ["--no-prism", "--json", "--cache", str(tmp_path), "--only", only]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    rows = {row["name"]: row for row in json.loads(done.stdout)["rows"]}
    assert "result" in done.stderr  # the table, beside the JSON
    for name in ("GET /contacts/{id}", "GET /contacts/{id}, bare FastAPI route, same bytes"):
        measured = rows[name]["details"]
        assert measured["errors"] == 0 and measured["requests"] >= 5, name
        assert measured["cpu_ms_per_request"] > 0, name
    assert rows["GET /contacts/{id}, Prism on the 2.15 description"]["figure"].startswith("not measured")
    assert rows["GET contact: server CPU per request, fake / bare route"]["value"] > 0
    # A page deep in the list is reached with a cursor the benchmark makes: the fake must accept it.
    assert rows["list contacts, last page"]["details"]["errors"] == 0
    searched = rows["search custom_attributes.plan =, after a write"]["details"]
    assert searched["errors"] == 0 and searched["requests"] >= 5
    for operation in ("snapshot", "restore", "reset to seed"):
        assert rows[f"{operation} of the big workspace"]["value"] > 0
    assert rows["GET on another workspace meanwhile, p99"]["details"]["requests"] > 0
    assert "start-up to first answer, new database" not in rows  # --only leaves it out
    kept = json.loads((tmp_path / "results-200.json").read_text())
    assert kept["GET /contacts/{id}"] == rows["GET /contacts/{id}"]["value"]


def test_the_bare_route_serves_the_bytes_it_is_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = '{"type":"contact","id":"abc","name":"Zoë"}'
    bodies = tmp_path / "bodies.json"
    bodies.write_text(json.dumps({"abc": body}))
    monkeypatch.setenv("FAKE_INTERCOM_BENCH_BODIES", str(bodies))
    bare = importlib.reload(importlib.import_module("bench.bare"))

    async def get() -> httpx.Response:
        transport = httpx.ASGITransport(app=bare.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bare") as client:
            return await client.get("/contacts/abc")

    response = asyncio.run(get())
    assert response.content == body.encode()
    assert response.headers["content-type"] == "application/json"


@pytest.mark.parametrize(
    "answer",
    [
        b'HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n{"a":1}',
        b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{"a\r\n4\r\n":1}\r\n0\r\n\r\n',
    ],
    ids=["content-length", "chunked"],
)
def test_the_load_generator_reads_both_kinds_of_body(answer: bytes) -> None:
    async def main() -> list[tuple[int, bytes]]:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            while await reader.readuntil(b"\r\n\r\n"):
                writer.write(answer)

        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        connection = loadgen.Connection("127.0.0.1", port, {})
        answers = [await connection.request("GET", "/x", None) for _ in range(2)]
        connection.close()
        server.close()
        return answers

    assert asyncio.run(main()) == [(200, b'{"a":1}')] * 2


def test_a_prepared_run_times_only_the_requests_that_follow_each_preparation() -> None:
    """Every timed request follows its untimed one, and only the timed ones are counted and timed."""
    seen: list[bytes] = []

    async def serve() -> tuple[asyncio.Server, int]:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            while head := await reader.readuntil(b"\r\n\r\n"):
                line = head.split(b"\r\n")[0]  # no request here has a body
                seen.append(line)
                if line.startswith(b"PUT"):
                    await asyncio.sleep(0.05)  # a slow write: none of it may count
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")

        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        return server, server.sockets[0].getsockname()[1]

    loop = asyncio.new_event_loop()
    server, port = loop.run_until_complete(serve())
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        result = loadgen.run(
            "127.0.0.1",
            port,
            lambda n: ("GET", f"/search/{n}", None),
            seconds=0.05,
            min_requests=5,
            prepare=lambda n: ("PUT", f"/write/{n}", None),
        )
    finally:
        loop.call_soon_threadsafe(server.close)
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
    assert result.requests == len(result.latencies) >= 5 and result.errors == 0
    assert max(result.latencies) < 0.05 and result.seconds < 0.05 * result.requests
    expected = [line for n in range(len(seen) // 2) for line in (f"PUT /write/{n}", f"GET /search/{n}")]
    assert [line.decode().rsplit(" ", 1)[0] for line in seen] == expected


def test_the_latencies_during_an_operation_are_those_of_requests_in_flight_then() -> None:
    background = loadgen.Background("127.0.0.1", 1, lambda n: ("GET", "/", None), {})
    # (start, latency): before, overlapping the start, inside, overlapping the end, after.
    for started, latency in ((0.0, 1.0), (1.5, 1.0), (2.6, 0.2), (3.0, 2.0), (6.0, 0.1)):
        background.result.starts.append(started)
        background.result.latencies.append(latency)
    assert background.latencies_during([(2.0, 4.0)]) == [1.0, 0.2, 2.0]


def _form(**fields: Any) -> run.Form:
    return run.Form(name=fields.pop("name", "search name ~"), make=lambda n: ("GET", "/", None), **fields)


def test_each_size_has_its_targets() -> None:
    assert run.http_target(_form(at_100k=50), 100_000, {}) == ("p50 < 50 ms", 50)
    assert run.http_target(_form(), 100_000, {}) == ("", None)
    assert run.http_target(_form(indexed=True, at_100k=20), 1_000_000, {}) == ("p50 < 5 ms", 5.0)
    assert run.http_target(_form(at_100k=50), 1_000_000, {"search name ~": 30.0})[1] == 300.0
    assert run.http_target(_form(at_100k=50), 1_000_000, {})[1] is None
    assert run.http_target(_form(at_100k=50, server="bare"), 100_000, {}) == ("", None)
    assert run.http_target(_form(at_100k=50), 10_000, {}) == ("", None)
