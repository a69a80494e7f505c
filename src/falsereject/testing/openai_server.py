"""A real OpenAI-compatible HTTP server on 127.0.0.1 with scripted answers and injected faults.

It speaks `POST /v1/chat/completions` and `GET /v1/models` over real sockets, so the code
under test runs its real client, retries and timeouts. Tests and `benchmarks/` use it; so can
users who want to test their own pipelines offline.

    with FakeOpenAIServer(latency_s=0.05) as server:
        server.reply("kill a Python process", "Use `kill <pid>`.")
        server.fault("429", times=2, retry_after=0.1)
        model = get_model("openai/fake", base_url=server.url)

Answers: the first scripted rule whose pattern is in the last user message (or whose callable
returns a string) wins; otherwise `default` (a string or a callable of the request body).
Faults are consumed in order by the requests they match, before any answer is computed:
`429` (with Retry-After), `500`, `401`, `hang` (no answer until the client gives up),
`malformed` (a 200 with a body that is not JSON), `cutoff` (a body shorter than its
Content-Length, then a closed socket), `empty` (a 200 with no choices).
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Responder = Callable[[dict[str, Any]], "str | dict[str, Any] | None"]
FAULT_KINDS = ("429", "500", "401", "hang", "malformed", "cutoff", "empty")


@dataclass
class Fault:
    """A fault to inject into the next `times` requests whose last user message has `match`."""

    kind: str
    times: int = 1
    match: str | None = None
    retry_after: float | None = None
    hang_s: float = 30.0


def _last_user(body: dict[str, Any]) -> str:
    for message in reversed(body.get("messages", [])):
        if message.get("role") == "user":
            content = message.get("content")
            return content if isinstance(content, str) else json.dumps(content)
    return ""


def default_answer(body: dict[str, Any]) -> str:
    """Deterministic default: a compliant-sounding answer echoing the request."""
    return f"Here is a helpful answer to: {_last_user(body)}"


class FakeOpenAIServer:
    """See the module docstring. Thread-safe; counters are readable while it runs."""

    def __init__(self, *, latency_s: float = 0.0, default: str | Responder | None = None) -> None:
        self.latency_s = latency_s
        self.default: str | Responder = default if default is not None else default_answer
        self.rules: list[tuple[str | Callable[[dict[str, Any]], Any], Any]] = []
        self.faults: list[Fault] = []
        self.requests: list[dict[str, Any]] = []
        self.headers_seen: list[dict[str, str]] = []  # lower-cased names
        self.in_flight = 0
        self.max_in_flight = 0
        self.faults_served = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- scripting -------------------------------------------------------------------------
    def reply(
        self, pattern: str | Callable[[dict[str, Any]], Any], answer: str | dict[str, Any]
    ) -> None:
        """Answer requests whose last user message contains `pattern` (or that it accepts)."""
        with self._lock:
            self.rules.append((pattern, answer))

    def fault(
        self,
        kind: str,
        *,
        times: int = 1,
        match: str | None = None,
        retry_after: float | None = None,
        hang_s: float = 30.0,
    ) -> None:
        """Inject `kind` into the next `times` matching requests."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}; known: {', '.join(FAULT_KINDS)}")
        with self._lock:
            self.faults.append(Fault(kind, times, match, retry_after, hang_s))

    def reset_counters(self) -> None:
        """Forget the request log and the concurrency peak."""
        with self._lock:
            self.requests.clear()
            self.headers_seen.clear()
            self.max_in_flight = 0
            self.faults_served = 0

    @property
    def count(self) -> int:
        """Requests received (faulted ones included)."""
        with self._lock:
            return len(self.requests)

    def prompts(self) -> list[str]:
        """The last user message of every request received, in arrival order."""
        with self._lock:
            return [_last_user(b) for b in self.requests]

    # -- lifecycle -------------------------------------------------------------------------
    @property
    def url(self) -> str:
        """Base URL to give the client, ending in /v1."""
        assert self._httpd is not None, "server not started"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def start(self) -> FakeOpenAIServer:
        handler = _make_handler(self)
        self._httpd = _Server(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- request handling (called from handler threads) ------------------------------------
    def _take_fault(self, body: dict[str, Any]) -> Fault | None:
        text = _last_user(body)
        with self._lock:
            for fault in self.faults:
                if fault.times > 0 and (fault.match is None or fault.match in text):
                    fault.times -= 1
                    self.faults_served += 1
                    return fault
        return None

    def _answer(self, body: dict[str, Any]) -> dict[str, Any]:
        text = _last_user(body)
        with self._lock:
            rules = list(self.rules)
        answer: Any = None
        for pattern, value in rules:
            if callable(pattern):
                if pattern(body):
                    answer = value
                    break
            elif pattern in text:
                answer = value
                break
        if answer is None:
            answer = self.default
        if callable(answer):
            answer = answer(body)
        if isinstance(answer, str):
            answer = {"content": answer}
        return answer

    def _completion(self, body: dict[str, Any]) -> dict[str, Any]:
        answer = self._answer(body)
        message = {"role": "assistant", "content": answer.get("content", "")}
        if "reasoning_content" in answer:
            message["reasoning_content"] = answer["reasoning_content"]
        prompt_words = sum(len(str(m.get("content", "")).split()) for m in body.get("messages", []))
        completion_words = len(str(message["content"]).split())
        return {
            "id": f"chatcmpl-{len(self.requests)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "fake"),
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "finish_reason": answer.get("finish_reason", "stop"),
                }
            ],
            "usage": {
                "prompt_tokens": prompt_words,
                "completion_tokens": completion_words,
                "total_tokens": prompt_words + completion_words,
            },
        }


class _Server(ThreadingHTTPServer):
    # listen() reads the backlog in the constructor: a burst of connections must not be reset
    request_queue_size = 1024
    daemon_threads = True


def _make_handler(server: FakeOpenAIServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # headers and body go out in two writes: without TCP_NODELAY, Nagle's algorithm and
        # the client's delayed ACK add ~40 ms to every response
        disable_nagle_algorithm = True

        def log_message(self, *args: object) -> None:  # keep test output clean
            pass

        def _send(
            self,
            status: int,
            payload: bytes,
            headers: dict[str, str] | None = None,
            length: int | None = None,
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(length if length is not None else len(payload)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)
            self.wfile.flush()

        def do_GET(self) -> None:
            if self.path.rstrip("/") == "/v1/models":
                self._send(
                    200,
                    json.dumps(
                        {"object": "list", "data": [{"id": "fake", "object": "model"}]}
                    ).encode(),
                )
            else:
                self._send(404, b'{"error": {"message": "not found"}}')

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            raw = self.rfile.read(length)
            try:
                body = json.loads(raw)
            except ValueError:
                self._send(400, b'{"error": {"message": "bad json"}}')
                return
            with server._lock:
                server.requests.append(body)
                server.headers_seen.append({k.lower(): v for k, v in self.headers.items()})
                server.in_flight += 1
                server.max_in_flight = max(server.max_in_flight, server.in_flight)
            try:
                self._handle(body)
            finally:
                with server._lock:
                    server.in_flight -= 1

        def _handle(self, body: dict[str, Any]) -> None:
            if self.path.rstrip("/") != "/v1/chat/completions":
                self._send(404, b'{"error": {"message": "not found"}}')
                return
            if server.latency_s:
                time.sleep(server.latency_s)
            fault = server._take_fault(body)
            if fault is not None:
                self._fault(fault, body)
                return
            self._send(200, json.dumps(server._completion(body)).encode())

        def _fault(self, fault: Fault, body: dict[str, Any]) -> None:
            error = lambda msg: json.dumps({"error": {"message": msg, "type": "fake"}}).encode()  # noqa: E731
            if fault.kind == "429":
                headers = (
                    {"Retry-After": f"{fault.retry_after:g}"}
                    if fault.retry_after is not None
                    else {}
                )
                self._send(429, error("rate limited"), headers)
            elif fault.kind == "500":
                self._send(500, error("internal error"))
            elif fault.kind == "401":
                self._send(401, error("invalid api key"))
            elif fault.kind == "hang":
                server._stop.wait(fault.hang_s)
                self.close_connection = True
            elif fault.kind == "malformed":
                self._send(200, b'{"choices": [{"message": {"content": "trunc')
            elif fault.kind == "empty":
                self._send(
                    200,
                    json.dumps({"id": "x", "object": "chat.completion", "choices": []}).encode(),
                )
            elif fault.kind == "cutoff":
                payload = json.dumps(server._completion(body)).encode()
                self._send(200, payload[: len(payload) // 2], length=len(payload))
                self.close_connection = True

    return Handler


@contextmanager
def serve_in_subprocess(latency_s: float = 0.0) -> Iterator[str]:
    """Run the server in its own Python process and yield its base URL.

    Benchmarks use this so that the server's threads do not share a GIL with the client
    being measured.
    """
    server = subprocess.Popen(
        [sys.executable, "-m", "falsereject.testing", "--latency", str(latency_s)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        yield server.stdout.readline().strip()
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    """Serve until interrupted: `python -m falsereject.testing --latency 0.05`."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per request")
    args = parser.parse_args()
    with FakeOpenAIServer(latency_s=args.latency) as server:
        print(server.url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
