"""A small asyncio load client: fixed concurrency, bounded in count and time.

Only for servers on this machine: every URL must be on 127.0.0.1.

The HTTP/1.1 client is a few lines on ``asyncio.open_connection`` rather than aiohttp: the bench's client shares
the 2 cores with the server it measures, and aiohttp spent ~2 ms of CPU per submission (~2.9 ms per burst person)
on machinery the bench does not need (connection pools, a cookie jar with domain rules, multidicts, yarl URLs,
decompression). What it does: one new TCP connection per request (``Connection: close``, as gunicorn's sync
workers close anyway), its own cookies per simulated person (every Set-Cookie kept by name, sent back on the same
host; no domain or path rules: every URL is one server's), X-Forwarded-For per person, urlencoded POST bodies,
redirects never followed (302 is a submission's success), a total timeout per request, the body read fully
(Content-Length, chunked, or until the server closes).
"""

import asyncio
import os
import random
import re
import statistics
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit


def run(main: Awaitable):
    """``asyncio.run(main)`` on uvloop's event loop: the client shares the 2 cores with the server it measures, and
    libuv's loop costs it less CPU per connection than asyncio's own (BENCH_LOOP=asyncio: asyncio's, to compare)."""
    if os.environ.get("BENCH_LOOP", "uvloop") == "asyncio":
        return asyncio.run(main)
    import uvloop

    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(main)


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def assert_loopback(url: str) -> None:
    if urlsplit(url).hostname not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit(f"Refusing to send load anywhere but this machine: {url}")


@dataclass
class Result:
    name: str
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests only
    statuses: Counter = field(default_factory=Counter)
    errors: int = 0
    elapsed: float = 0.0
    concurrency: int = 0

    @property
    def requests(self) -> int:
        return len(self.latencies) + self.errors

    @property
    def rps(self) -> float:
        return self.requests / self.elapsed if self.elapsed else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        if len(self.latencies) == 1:
            return self.latencies[0] * 1000
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[int(p) - 1] * 1000

    def merge(self, other: "Result") -> "Result":
        """Add another round of the same scenario."""
        self.latencies += other.latencies
        self.statuses.update(other.statuses)
        self.errors += other.errors
        self.elapsed += other.elapsed
        return self

    def summary(self) -> dict:
        return {
            "name": self.name,
            "concurrency": self.concurrency,
            "requests": self.requests,
            "errors": self.errors,
            "seconds": round(self.elapsed, 2),
            "rps": round(self.rps, 1),
            "p50_ms": round(self.percentile(50), 1),
            "p95_ms": round(self.percentile(95), 1),
            "p99_ms": round(self.percentile(99), 1),
            "statuses": dict(self.statuses),
        }


class HTTPError(Exception):
    """A response this client cannot read."""


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]  # names in lower case, in the order received
    body: bytes

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Client:
    """One simulated person: their own cookies and address (X-Forwarded-For; the server trusts 127.0.0.1), a new
    TCP connection per request, ``timeout`` seconds in all per request (TimeoutError)."""

    def __init__(self, client_address: str | None = None, timeout: float = 60.0):
        self.client_address = client_address
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    async def get(self, url: str) -> Response:
        return await self.request("GET", url)

    async def post(self, url: str, data: dict) -> Response:
        return await self.request("POST", url, urlencode(data).encode())

    async def request(self, method: str, url: str, body: bytes | None = None) -> Response:
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        lines = [f"{method} {target} HTTP/1.1", f"Host: {parts.netloc}", "Connection: close", "Accept: */*", "User-Agent: bench/load.py"]
        if self.client_address:
            lines.append(f"X-Forwarded-For: {self.client_address}")
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{name}={value}" for name, value in self.cookies.items()))
        if body is not None:
            lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
        async with asyncio.timeout(self.timeout):
            reader, writer = await asyncio.open_connection(parts.hostname, parts.port or 80)
            try:
                writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b""))
                response = await self.read_response(reader, method)
            finally:
                writer.close()
        for name, value in response.headers:
            if name == "set-cookie":
                self.keep_cookie(value)
        return response

    @staticmethod
    async def read_response(reader: asyncio.StreamReader, method: str) -> Response:
        try:
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
            status = int(head[0].split(" ", 2)[1])
            headers = [(name.strip().lower(), value.strip()) for name, _, value in (line.partition(":") for line in head[1:] if line)]
            fields = dict(headers)
            if method == "HEAD" or status in (204, 304):
                body = b""
            elif "chunked" in fields.get("transfer-encoding", "").lower():
                chunks = []
                while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
                    chunks.append((await reader.readexactly(size + 2))[:-2])  # the chunk, less its CRLF
                body = b"".join(chunks)
            elif "content-length" in fields:
                body = await reader.readexactly(int(fields["content-length"]))
            else:
                body = await reader.read()  # until the server closes
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, IndexError, ValueError) as error:
            raise HTTPError(f"Unreadable response: {error!r}") from error
        return Response(status, headers, body)

    def keep_cookie(self, header: str) -> None:
        """Keep a Set-Cookie by name; one that expires now (Max-Age=0, as Django deletes cookies) is dropped."""
        pair, *attributes = header.split(";")
        name, _, value = (part.strip() for part in pair.partition("="))
        max_age = next((v.strip() for k, _, v in (a.partition("=") for a in attributes) if k.strip().lower() == "max-age"), None)
        if max_age is not None and max_age.lstrip("-").isdigit() and int(max_age) <= 0:
            self.cookies.pop(name, None)
        elif name:
            self.cookies[name] = value


async def timed(result: Result, send: Callable[[], Awaitable[Response]], ok: set[int]) -> Response | None:
    started = time.perf_counter()
    try:
        response = await send()
    except (TimeoutError, OSError, HTTPError):
        result.errors += 1
        result.statuses["exception"] += 1
        return None
    result.statuses[response.status] += 1
    if response.status in ok:
        result.latencies.append(time.perf_counter() - started)
    else:
        result.errors += 1
    return response


async def get_load(name: str, url: str, *, concurrency: int, seconds: float, max_requests: int, cookies: dict | None = None) -> Result:
    """GET ``url`` from ``concurrency`` clients until ``seconds`` or ``max_requests`` is reached."""
    assert_loopback(url)
    result = Result(name=name, concurrency=concurrency)
    deadline = time.perf_counter() + seconds
    budget = iter(range(max_requests))
    session = Client()  # one person on ``concurrency`` connections at once
    session.cookies.update(cookies or {})

    async def worker():
        while time.perf_counter() < deadline and next(budget, None) is not None:
            await timed(result, lambda: session.get(url), {200})

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    result.elapsed = time.perf_counter() - started
    return result


async def csrf_token(session: Client, form_url: str) -> str:
    response = await session.get(form_url)
    match = CSRF_INPUT.search(response.text())
    if response.status != 200 or match is None:
        raise RuntimeError(f"Could not open the form at {form_url}: HTTP {response.status}")
    return match.group(1)


def person(number: int, run: str) -> dict:
    return {
        "full_name": f"Bench Person {number}",
        "company": f"Bench Company {number}",
        "job_title": "CEO",
        "email": f"bench-{run}-{number}@example.com",
        "phone": "+86 138 0000 0000",
        "wechat_id": "",
        "note": "",
        "consent": "on",
        "source": "bench",
        "website": "",
    }


async def submit_load(
    name: str, form_url: str, *, sector_id: int, clients: int, per_client: int, seconds: float, run: str, think: float = 0.0, first: int = 0
) -> Result:
    """``clients`` people, each from their own address, each submitting up to ``per_client`` registrations,
    pausing ``think`` seconds on average (0.5x to 1.5x, at random) between two submissions."""
    assert_loopback(form_url)
    result = Result(name=name, concurrency=clients)
    deadline = time.perf_counter() + seconds

    async def client(index: int):
        session = Client(client_address=f"10.{index // 250}.{index % 250}.{7 + first // 10_000}")
        if think:  # people arrive over the first pause, not all in the same millisecond
            await asyncio.sleep(random.uniform(0, think))
        token = await csrf_token(session, form_url)
        for attempt in range(per_client):
            if time.perf_counter() >= deadline:
                return
            data = {**person(first + index * per_client + attempt, run), "sector": str(sector_id), "csrfmiddlewaretoken": token}
            await timed(result, lambda data=data: session.post(form_url, data), {302})
            if think:
                await asyncio.sleep(think * random.uniform(0.5, 1.5))

    started = time.perf_counter()
    await asyncio.gather(*(client(index) for index in range(clients)))
    result.elapsed = time.perf_counter() - started
    return result


async def burst(name: str, form_url: str, *, sector_id: int, people: int, run: str, on_start: Callable[[], None] | None = None) -> Result:
    """``people`` open the form, then all submit at the same instant (``on_start`` is called at that instant)."""
    assert_loopback(form_url)
    result = Result(name=name, concurrency=people)
    start = asyncio.Event()
    ready = 0
    posted_at = 0.0
    sessions = [Client(client_address=f"10.200.{index // 250}.{index % 250}") for index in range(people)]
    opening = asyncio.Semaphore(16)  # open the form 16 at a time, as people arrive

    async def one(index: int, session: Client):
        nonlocal ready, posted_at
        async with opening:
            token = await csrf_token(session, form_url)
        ready += 1
        if ready == people:
            if on_start is not None:
                on_start()
            posted_at = time.perf_counter()
            start.set()
        await start.wait()
        data = {**person(index, run), "sector": str(sector_id), "csrfmiddlewaretoken": token}
        await timed(result, lambda: session.post(form_url, data), {302})

    await asyncio.gather(*(one(index, session) for index, session in enumerate(sessions)))
    result.elapsed = time.perf_counter() - posted_at  # from the instant everyone submits
    return result


async def admin_cookies(base_url: str, username: str, password: str) -> dict:
    """Sign in to admin as a person would and return the session cookies."""
    login_url = f"{base_url}/admin/login/?next=/admin/"
    session = Client()
    token = await csrf_token(session, login_url)
    data = {"username": username, "password": password, "csrfmiddlewaretoken": token, "next": "/admin/"}
    response = await session.post(login_url, data)
    if response.status != 302:
        raise RuntimeError(f"Admin sign-in failed: HTTP {response.status}")
    return dict(session.cookies)
