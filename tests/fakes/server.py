"""A real OpenAI-compatible server on 127.0.0.1, for tests, browser runs and benchmarks.

Standard library only: a ``ThreadingHTTPServer`` in a background thread speaking
HTTP/1.1 with chunked server-sent events, so the openai package (on httpx2) talks
to it exactly as to MiniMax, DeepSeek, vLLM or Ollama — no mock transports.

- ``POST /v1/chat/completions`` (stream or not) and ``GET /v1/models``.
- Each request is answered by the next matching ``Reply`` in a queue
  (``enqueue(reply, times=1, phase=None)``; ``times=None`` means always), or by
  the defaults: the scripted answer for the request's phase, in ``format``.
- Every request is recorded (headers with lower-case names, the JSON body, the
  phase) in ``requests``.
- ``/_fake/enqueue``, ``/_fake/requests`` and ``/_fake/reset`` let another process
  (a browser test) steer a server started with
  ``python -m tests.fakes.server --port 0 --format minimax [--fault SPEC] …``,
  which prints its base URL as the first line on stdout.
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import struct
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .scenarios import (
    BASE_RESP_MESSAGES,
    FORMATS,
    PHASES,
    Reply,
    Script,
    parse_fault,
)

_MARKER = re.compile(r"\[phase:(specify|plan|implement)\]")


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Any
    phase: str | None
    at: float = field(default_factory=time.monotonic)

    @property
    def stream(self) -> bool:
        return bool(isinstance(self.body, dict) and self.body.get("stream"))


@dataclass
class _Entry:
    reply: Reply
    times: int | None  # None: always
    phase: str | None
    endpoint: str  # "chat" | "models" | "any"


def detect_phase(body: Any) -> str | None:
    """The phase a chat request belongs to: the ``[phase:…]`` marker, else a phase word in the system prompt."""
    if not isinstance(body, dict):
        return None
    messages = [m for m in body.get("messages") or [] if isinstance(m, dict)]
    ordered = [m for m in messages if m.get("role") == "system"] + messages
    for message in ordered:
        found = _MARKER.search(str(message.get("content", "")))
        if found:
            return found.group(1)
    for message in ordered[:1]:
        if message.get("role") == "system":
            text = str(message.get("content", "")).lower()
            for phase in PHASES:
                if phase in text:
                    return phase
    return None


class _QuietServer(ThreadingHTTPServer):
    """A client that hangs up mid-request (the fault tests' own clients do, on purpose) is not a
    server error: no traceback in the test log for it; any other error is printed as usual."""

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)


class FakeLLMServer:
    """The server and its scenario. ``start()`` / ``stop()``, or use it as a context manager."""

    def __init__(
        self,
        format: str = "minimax",
        *,
        model: str = "fake-model",
        chunk_size: int = 12,
        delay_s: float = 0.0,
        require_key: str | None = None,
        cumulative: bool = False,
        open_tag: bool = True,
        reasoning_content_beside: bool = True,
        extra_fields: bool = False,
        port: int = 0,
    ) -> None:
        if format not in FORMATS:
            raise ValueError(f"unknown format {format!r}; known: {', '.join(FORMATS)}")
        self.format = format
        self.model = model
        self.chunk_size = chunk_size
        self.delay_s = delay_s
        self.require_key = require_key
        self.options = {
            "cumulative": cumulative,
            "open_tag": open_tag,
            "reasoning_content_beside": reasoning_content_beside,
            "extra_fields": extra_fields,
        }
        self.script = Script()
        self.requests: list[RecordedRequest] = []
        self._queue: list[_Entry] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._port = port
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------
    def start(self) -> FakeLLMServer:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._httpd = _QuietServer(("127.0.0.1", self._port), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(0.05,), name="fake-llm", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FakeLLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None, "not started"
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # -- scenario ---------------------------------------------------------------
    def enqueue(
        self, reply: Reply, times: int | None = 1, phase: str | None = None, endpoint: str = "chat"
    ) -> FakeLLMServer:
        """For the next ``times`` matching requests (None: all of them), do ``reply``."""
        with self._lock:
            self._queue.append(_Entry(reply, times, phase, endpoint))
        return self

    def always(
        self, reply: Reply, phase: str | None = None, endpoint: str = "chat"
    ) -> FakeLLMServer:
        return self.enqueue(reply, None, phase, endpoint)

    def fault(self, spec: str) -> FakeLLMServer:
        """Enqueue a fault in the command-line spelling (see ``scenarios.parse_fault``)."""
        reply, times, phase = parse_fault(spec)
        return self.enqueue(reply, times, phase)

    def set_answer(
        self, phase: str, answer: str | None = None, thinking: str | None = None
    ) -> FakeLLMServer:
        """Change the default scripted answer (and/or reasoning) of one phase."""
        if answer is not None:
            self.script.answers[phase] = answer
        if thinking is not None:
            self.script.thinking[phase] = thinking
        return self

    def reset(self) -> None:
        """Forget queued replies, recorded requests and script changes."""
        with self._lock:
            self._queue.clear()
            self.requests.clear()
            self.script = Script()

    def chat_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _next_reply(self, phase: str | None, endpoint: str) -> Reply:
        with self._lock:
            for entry in self._queue:
                if entry.endpoint not in (endpoint, "any"):
                    continue
                if entry.phase is not None and entry.phase != phase:
                    continue
                if entry.times is not None:
                    entry.times -= 1
                    if entry.times <= 0:
                        self._queue.remove(entry)
                return entry.reply
        return Reply()

    def _sleep(self, seconds: float) -> None:
        if seconds > 0:
            self._stopping.wait(seconds)

    # -- answers on the wire -----------------------------------------------------
    def deltas(self, reply: Reply, phase: str | None) -> Iterator[dict[str, Any]]:
        """The ``delta`` dicts that stream this reply's reasoning and answer."""
        fmt = reply.format or self.format
        options = {**self.options, **reply.extra}
        answer = self.script.answer(phase) if reply.answer is None else reply.answer
        thinking = self.script.reasoning(phase) if reply.thinking is None else reply.thinking
        size = max(1, int(options.get("chunk_size") or self.chunk_size))
        pieces = _pieces(thinking, size) if fmt != "plain" else []
        extra = (
            {"name": "MiniMax AI", "audio_content": ""}
            if fmt == "minimax" or options["extra_fields"]
            else {}
        )
        yield {"role": "assistant", "content": "" if fmt != "deepseek" else None, **extra}
        if fmt == "inline_think":
            opening = "<think>\n" if options["open_tag"] else ""
            text = f"{opening}{thinking}\n</think>\n\n{answer}"
            for piece in _pieces(text, size):
                yield {"content": piece, **extra}
            return
        so_far = ""
        for piece in pieces:
            so_far += piece
            if fmt == "minimax":
                text = so_far if options["cumulative"] else piece
                delta = {"content": "", "reasoning_details": [reasoning_detail(text)], **extra}
                if options["reasoning_content_beside"]:
                    delta["reasoning_content"] = piece
                yield delta
            elif fmt == "deepseek":
                yield {"content": None, "reasoning_content": piece}
            elif fmt in ("vllm", "ollama"):
                yield {"content": "" if fmt == "ollama" else None, "reasoning": piece, **extra}
            elif fmt == "openrouter":
                yield {
                    "content": "",
                    "reasoning": piece,
                    "reasoning_details": [
                        {"type": "reasoning.text", "text": piece, "format": "unknown", "index": 0}
                    ],
                }
        for piece in _pieces(answer, size):
            yield {
                "content": piece,
                **({"reasoning_content": None} if fmt == "deepseek" else {}),
                **extra,
            }

    def message(self, reply: Reply, phase: str | None) -> dict[str, Any]:
        """The non-streamed ``choices[0].message`` for this reply."""
        fmt = reply.format or self.format
        answer = self.script.answer(phase) if reply.answer is None else reply.answer
        thinking = self.script.reasoning(phase) if reply.thinking is None else reply.thinking
        message: dict[str, Any] = {"role": "assistant", "content": answer}
        if fmt == "minimax":
            message["reasoning_details"] = [reasoning_detail(thinking)]
        elif fmt == "deepseek":
            message["reasoning_content"] = thinking
        elif fmt in ("vllm", "ollama", "openrouter"):
            message["reasoning"] = thinking
        elif fmt == "inline_think":
            message["content"] = f"<think>{thinking}</think>\n\n{answer}"
        return message


def _pieces(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def reasoning_detail(text: str) -> dict[str, Any]:
    """One entry of MiniMax's ``reasoning_details`` list, as its API sends it."""
    return {
        "type": "reasoning.text",
        "id": "reasoning-text-1",
        "format": "MiniMax-response-v1",
        "index": 0,
        "text": text,
    }


class _Handler(BaseHTTPRequestHandler):
    fake: FakeLLMServer
    protocol_version = "HTTP/1.1"
    server_version = "FakeLLM/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output quiet

    # -- routing --------------------------------------------------------------
    def do_GET(self) -> None:
        self._guard(self._get)

    def do_POST(self) -> None:
        self._guard(self._post)

    def _guard(self, handler: Any) -> None:
        try:
            handler()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True  # the client gave up (a timeout test)

    def _get(self) -> None:
        path = self.path.split("?")[0].rstrip("/")
        if path == "/_fake/requests":
            self._json(200, [asdict(r) for r in self.fake.requests])
            return
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.fake._record(RecordedRequest("GET", path, headers, None, None))
        if path.endswith("/models"):
            reply = self.fake._next_reply(None, "models")
            if self._refuse(reply, headers):
                return
            data = [{"id": self.fake.model, "object": "model", "created": 0, "owned_by": "fake"}]
            self._json(200, {"object": "list", "data": data})
            return
        self._json(404, {"error": {"message": f"no route {path}", "type": "not_found_error"}})

    def _post(self) -> None:
        path = self.path.split("?")[0].rstrip("/")
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw or b"null")
        except ValueError:
            body = raw.decode("utf-8", "replace")
        if path.startswith("/_fake/"):
            self._control(path, body)
            return
        headers = {k.lower(): v for k, v in self.headers.items()}
        phase = detect_phase(body)
        self.fake._record(RecordedRequest("POST", path, headers, body, phase))
        if not path.endswith("/chat/completions"):
            self._json(404, {"error": {"message": f"no route {path}", "type": "not_found_error"}})
            return
        reply = self.fake._next_reply(phase, "chat")
        if self._refuse(reply, headers):
            return
        model = body.get("model", self.fake.model) if isinstance(body, dict) else self.fake.model
        if reply.base_resp is not None:
            self._base_resp(reply)
        elif isinstance(body, dict) and body.get("stream") and not reply.extra.get("ignore_stream"):
            self._stream(reply, phase, model)
        else:
            message = self.fake.message(reply, phase)
            self._json(200, _completion(model, message))

    def _control(self, path: str, body: Any) -> None:
        if path == "/_fake/reset":
            self.fake.reset()
        elif path == "/_fake/enqueue" and isinstance(body, dict):
            try:
                self.fake.fault(str(body.get("fault", "")))
            except ValueError as exc:
                self._json(400, {"error": {"message": str(exc)}})
                return
        else:
            self._json(404, {"error": {"message": f"no control {path}"}})
            return
        self._json(200, {"ok": True})

    # -- faults -----------------------------------------------------------------
    def _refuse(self, reply: Reply, headers: dict[str, str]) -> bool:
        """Play the HTTP-level part of ``reply`` (delay, auth check, error status)."""
        self.fake._sleep(reply.delay_before_headers)
        key = self.fake.require_key
        if (
            key is not None
            and headers.get("authorization") != f"Bearer {key}"
            and reply.status == 200
        ):
            reply = reply.with_(
                status=401,
                error_message="Incorrect API key provided",
                error_type="authentication_error",
            )
        if reply.status == 200:
            return False
        message = reply.error_message or f"fake error {reply.status}"
        if reply.echo_key:
            message += f" (you sent {headers.get('authorization', '')})"
        extra = {"Retry-After": reply.retry_after} if reply.retry_after is not None else {}
        self._json(
            reply.status,
            {
                "error": {
                    "message": message,
                    "type": reply.error_type or "server_error",
                    "code": reply.status,
                }
            },
            extra,
        )
        return True

    def _base_resp(self, reply: Reply) -> None:
        code = reply.base_resp or 0
        payload = {
            "id": "",
            "choices": None,
            "created": int(time.time()),
            "model": self.fake.model,
            "object": "chat.completion",
            "base_resp": {"status_code": code, "status_msg": BASE_RESP_MESSAGES.get(code, "error")},
        }
        if not reply.base_resp_sse:
            self._json(200, payload)
            return
        self._start_sse()
        self._event(payload)
        self._end_sse()

    # -- streaming ----------------------------------------------------------------
    def _stream(self, reply: Reply, phase: str | None, model: str) -> None:
        fake = self.fake
        delay = fake.delay_s if reply.delay_s is None else reply.delay_s
        chunk_id = f"chatcmpl-fake-{len(fake.requests)}"
        created = int(time.time())
        fmt = reply.format or fake.format
        top = {"base_resp": {"status_code": 0, "status_msg": ""}} if fmt == "minimax" else {}
        self._start_sse()
        sent = 0
        for delta in fake.deltas(reply, phase):
            if sent == reply.drop_after:
                self._drop(reply.drop_mode)
                return
            if sent == reply.error_event_after:
                code = reply.extra.get("error_code", 500)
                self._event(
                    {
                        "error": {
                            "message": reply.error_message or "stream error",
                            "type": "server_error",
                            "code": code,
                        }
                    }
                )
                self._end_sse(done=False)
                return
            if sent == reply.malformed_after:
                self._raw(b'data: {"id": "broken", "choices": [{"delta": {"content": "x"\n\n')
                self._end_sse(done=False)
                return
            if sent == reply.end_without_done_after:
                self._end_sse(done=False)
                return
            if sent == reply.stall_after:
                fake._sleep(reply.stall_s)
            elif sent and delay:
                fake._sleep(delay)
            self._event(_chunk(chunk_id, created, model, delta, None, top))
            sent += 1
        self._event(_chunk(chunk_id, created, model, {}, "stop", top))
        self._end_sse()

    def _start_sse(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def _event(self, payload: dict[str, Any]) -> None:
        self._raw(b"data: " + json.dumps(payload, ensure_ascii=False).encode("utf-8") + b"\n\n")

    def _raw(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def _end_sse(self, done: bool = True) -> None:
        if done:
            self._raw(b"data: [DONE]\n\n")
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _drop(self, mode: str) -> None:
        """Vanish mid-answer: no final chunk, no [DONE] (a reset sends TCP RST)."""
        self.close_connection = True
        if mode == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        else:
            self.connection.shutdown(socket.SHUT_RDWR)

    def _json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


def _chunk(
    chunk_id: str,
    created: int,
    model: str,
    delta: dict[str, Any],
    finish: str | None,
    top: dict[str, Any],
) -> dict[str, Any]:
    return {
        "id": chunk_id,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        **top,
    }


def _completion(model: str, message: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.fakes.server", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--format", choices=FORMATS, default="minimax")
    parser.add_argument(
        "--fault", action="append", default=[], help="e.g. status=429,times=1 (repeatable)"
    )
    parser.add_argument("--delay", type=float, default=0.02, help="seconds between chunks")
    parser.add_argument("--chunk-size", type=int, default=12)
    parser.add_argument("--model", default="fake-model")
    parser.add_argument(
        "--cumulative", action="store_true", help="minimax: cumulative reasoning_details"
    )
    parser.add_argument(
        "--no-open-tag", action="store_true", help="inline_think: leave out the opening <think>"
    )
    args = parser.parse_args(argv)
    server = FakeLLMServer(
        args.format,
        model=args.model,
        chunk_size=args.chunk_size,
        delay_s=args.delay,
        cumulative=args.cumulative,
        open_tag=not args.no_open_tag,
        port=args.port,
    )
    for spec in args.fault:
        server.fault(spec)
    return serve_until_interrupted(server)


def serve_until_interrupted(server: FakeLLMServer) -> int:
    """Start ``server``, print its base URL (the caller's parent reads it), serve until Ctrl-C."""
    server.start()
    print(server.base_url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
