"""A small HTTP/1.1 load generator: one keep-alive connection on asyncio streams, one request at a time.

Lighter than an HTTP client library, so the client is not what gets measured. A run lasts a number of
seconds (with a floor on how many requests it makes, and a ceiling on how long that may take), records
each request's start and latency, and, given the server's process, the CPU time the server spent.
"""

import asyncio
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import psutil

RequestFactory = Callable[[int], tuple[str, str, bytes | None]]
"""Request number -> (method, path, JSON body or None)."""
# No answer within this is an error, not a wait without end.
TIMEOUT = 600.0


@dataclass
class Result:
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    starts: list[float] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    cpu_seconds: float | None = None
    """CPU time (user + system) the server's processes spent during the run."""
    first_error: str | None = None

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies) * 1000 if self.latencies else float("nan")

    @property
    def p99_ms(self) -> float:
        return percentile(self.latencies, 0.99) * 1000

    @property
    def cpu_ms_per_request(self) -> float | None:
        if self.cpu_seconds is None or not self.requests:
            return None
        return self.cpu_seconds / self.requests * 1000


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(int(fraction * len(ordered)), len(ordered) - 1)]


def cpu_seconds(process: psutil.Process) -> float:
    """CPU time of a process and its children (a server may run its work in a child)."""
    total = 0.0
    for each in (process, *process.children(recursive=True)):
        try:
            times = each.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


class Connection:
    """A keep-alive HTTP/1.1 connection that reads Content-Length and chunked bodies."""

    def __init__(self, host: str, port: int, headers: dict[str, str]) -> None:
        self.host, self.port = host, port
        self.headers = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: bytes | None) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n{self.headers}"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        self.writer.write((head + "\r\n").encode() + (body or b""))
        status_line, *lines = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        headers = {}
        for line in lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip().lower()
        if headers.get("transfer-encoding") == "chunked":
            content = b""
            while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
                content += (await self.reader.readexactly(size + 2))[:-2]
            await self.reader.readuntil(b"\r\n")
        else:
            content = await self.reader.readexactly(int(headers.get("content-length", 0)))
        if headers.get("connection") == "close":
            self.close()
        return int(status_line.split(" ", 2)[1]), content

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _prepare(connection: Connection, prepare: RequestFactory, number: int) -> None:
    """The untimed request sent before a timed one; it must succeed, or the run measures nothing."""
    done = Result()
    await _send(connection, prepare, number, done)
    if done.errors:
        raise RuntimeError(f"the request made before each one failed: {done.first_error}")


async def _send(connection: Connection, make: RequestFactory, number: int, result: Result) -> None:
    method, path, body = make(number)
    started = time.perf_counter()
    status, content = await asyncio.wait_for(connection.request(method, path, body), TIMEOUT)
    result.latencies.append(time.perf_counter() - started)
    result.starts.append(started)
    result.requests += 1
    if status >= 400:
        result.errors += 1
        result.first_error = result.first_error or f"{status} {method} {path}: {content[:200]!r}"


def run(
    host: str,
    port: int,
    make: RequestFactory,
    *,
    headers: dict[str, str] | None = None,
    seconds: float,
    min_requests: int = 5,
    max_seconds: float | None = None,
    warmup: int = 1,
    server: psutil.Process | None = None,
    first_number: int = 0,
    prepare: RequestFactory | None = None,
) -> Result:
    """Requests one after another for `seconds`, and on until `min_requests` were made (unless that takes
    longer than `max_seconds`), after `warmup` requests that are not counted. With `prepare`, each request
    follows one made by it, which is neither timed nor counted, nor is the server's CPU time meanwhile:
    `seconds` and the result's seconds are those of the timed requests (`max_seconds` stays wall time)."""
    ceiling = max_seconds if max_seconds is not None else 5 * seconds

    async def main() -> Result:
        connection = Connection(host, port, headers or {})
        try:
            for number in range(first_number, first_number + warmup):
                if prepare is not None:
                    await _prepare(connection, prepare, number)
                await _send(connection, make, number, Result())
            result = Result()
            run_cpu = cpu_seconds(server) if server else 0.0
            started = time.perf_counter()
            timed = cpu = 0.0
            number = first_number + warmup
            while True:
                wall = time.perf_counter() - started
                measured = timed if prepare is not None else wall
                if wall >= ceiling or (measured >= seconds and result.requests >= min_requests):
                    break
                if prepare is None:
                    await _send(connection, make, number, result)
                else:
                    # Only the timed request's window is the server's CPU for it (what the server does
                    # after answering it falls in the next untimed request's window).
                    await _prepare(connection, prepare, number)
                    cpu_before = cpu_seconds(server) if server else 0.0
                    sent = time.perf_counter()
                    await _send(connection, make, number, result)
                    timed += time.perf_counter() - sent
                    cpu += cpu_seconds(server) - cpu_before if server else 0.0
                number += 1
            if prepare is None:
                result.seconds = time.perf_counter() - started
                cpu = cpu_seconds(server) - run_cpu if server else 0.0
            else:
                result.seconds = timed
            if server is not None:
                result.cpu_seconds = cpu
            return result
        finally:
            connection.close()

    return asyncio.run(main())


class Background:
    """Requests one after another on a thread of its own, from `start()` until `stop()`."""

    def __init__(self, host: str, port: int, make: RequestFactory, headers: dict[str, str]) -> None:
        self.result = Result()
        self._args = (host, port, make, headers)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._main()), daemon=True)

    async def _main(self) -> None:
        host, port, make, headers = self._args
        connection = Connection(host, port, headers)
        number = 0
        try:
            while not self._stopping.is_set():
                await _send(connection, make, number, self.result)
                number += 1
        finally:
            connection.close()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=600)

    def latencies_during(self, windows: list[tuple[float, float]]) -> list[float]:
        """The latencies of the requests that were in flight at some time within one of `windows`."""
        return [
            latency
            for started, latency in zip(self.result.starts, self.result.latencies, strict=True)
            if any(started < end and started + latency > begin for begin, end in windows)
        ]
