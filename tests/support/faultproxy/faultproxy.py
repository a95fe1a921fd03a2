#!/usr/bin/python3
"""The project's fault-injecting HTTP proxy, in front of the test S3 server (Python 3 stdlib only).

    faultproxy.py start STATE_DIR [RULE_JSON]   read STATE_DIR/server.json, serve on a free loopback port
                                                in the background, write STATE_DIR/faultproxy.json
    faultproxy.py stop STATE_DIR                stop the one started there (and nothing else)
    faultproxy.py serve UPSTREAM_HOST UPSTREAM_PORT PORT_FILE [RULE_JSON]
                                                run in the foreground; the chosen port goes to PORT_FILE

Forwarding is byte for byte: the request head (Host included, so a signature made for the proxy's
address stays valid), Content-Length and chunked bodies, and the response are relayed exactly as read;
client connections are kept alive; Expect: 100-continue and other 1xx answers are relayed. Each request
goes to upstream on a fresh connection.

Control, on the proxy's own port (never counted as requests, never faulted):
    POST /__fault__/rules (or POST /__fault__)   set the rule, answer {"ok":true,"rules":{...}}, 400 if invalid
        {"mode":"off"}
        {"mode":"random","rate":0.1,"faults":["reset","503"],"seed":7,"match":"GET /"}
        {"mode":"next","count":3,"fault":"503","match":"PUT /bucket/key"}
        optional "stallSeconds" (default 3)
    GET  /__fault__/stats (or GET /__fault__)    {"requests":N,"forwarded":N,"faults":{"503":2},
                                                  "rules":{...},"recent":[{"request":"GET /b/k","fault":"503"}]}
    POST /__fault__/reset                        rule off, counters zero
"match" is a substring of the request line ("GET /bucket/key?x=1 HTTP/1.1"); empty matches everything.

Faults:
    reset           read about half the request body (none if there is none), then reset (RST); nothing
                    reaches upstream
    500 503 429     answer at once with an S3 XML error (InternalError, SlowDown, SlowDown), not forwarded
    stall           forward, then hold the response stallSeconds before relaying it
    stall-body      forward, relay the head and half the body, hold stallSeconds, then the rest
    reset-response  forward, relay the head and half the body, then reset
    truncate        forward, relay the head (its Content-Length) and half the body, then close cleanly
    flip            forward, relay the response with one body byte changed (the middle one, XOR 0x01)
A body fault on a response without a body (HEAD, 204, empty) becomes reset-response: the answer is lost
after upstream acted. Only loopback, and every upstream wait is bounded.
"""
import asyncio
import collections
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from daemonstate import stop_recorded  # noqa: E402

FAULTS = ("reset", "500", "503", "429", "stall", "stall-body", "reset-response", "truncate", "flip")
BODY_FAULTS = ("stall-body", "reset-response", "truncate", "flip")
ERRORS = {
    "500": (500, "Internal Server Error", "InternalError", "We encountered an internal error. Please try again."),
    "503": (503, "Service Unavailable", "SlowDown", "Please reduce your request rate."),
    "429": (429, "Too Many Requests", "SlowDown", "Please reduce your request rate."),
}
LOOPBACK = ("127.0.0.1", "localhost", "::1")
CONNECT_TIMEOUT = 10
RESPONSE_TIMEOUT = 300  # a multipart completion on a busy machine can take a while
READ_TIMEOUT = 120
PIECE = 65536


class RuleError(ValueError):
    pass


class Rules:
    def __init__(self):
        self.spec = {"mode": "off"}
        self.rng = random.Random(0)
        self.remaining = 0
        self.requests = 0
        self.forwarded = 0
        self.injected = {}
        self.recent = collections.deque(maxlen=100)

    def set(self, spec):
        if not isinstance(spec, dict):
            raise RuleError("a rule is a JSON object")
        mode = spec.get("mode", "off")
        if mode not in ("off", "random", "next"):
            raise RuleError(f"mode must be off, random or next, not {mode!r}")
        unknown = set(spec) - {"mode", "rate", "faults", "seed", "count", "fault", "match", "stallSeconds"}
        if unknown:
            raise RuleError(f"unknown keys {sorted(unknown)}")
        if mode == "random":
            faults = spec.get("faults")
            if not isinstance(faults, list) or not faults or any(f not in FAULTS for f in faults):
                raise RuleError(f"random needs \"faults\", a non-empty list of {list(FAULTS)}")
            rate = spec.get("rate")
            if not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
                raise RuleError("random needs \"rate\" between 0 and 1")
        if mode == "next":
            if spec.get("fault") not in FAULTS:
                raise RuleError(f"next needs \"fault\", one of {list(FAULTS)}")
            if not isinstance(spec.get("count", 1), int) or spec.get("count", 1) < 0:
                raise RuleError("\"count\" must be a non-negative integer")
        if not isinstance(spec.get("match", ""), str):
            raise RuleError("\"match\" must be a string")
        if not isinstance(spec.get("stallSeconds", 3), (int, float)) or spec.get("stallSeconds", 3) < 0:
            raise RuleError("\"stallSeconds\" must be a non-negative number")
        self.spec = dict(spec)
        self.rng = random.Random(spec.get("seed", 0))
        self.remaining = int(spec.get("count", 1)) if mode == "next" else 0

    @property
    def stall(self):
        return float(self.spec.get("stallSeconds", 3))

    def pick(self, request_line):
        self.requests += 1
        mode = self.spec["mode"]
        if mode == "off" or self.spec.get("match", "") not in request_line:
            return None
        if mode == "random":
            # Two draws per matching request whatever the outcome: the same seed and the same requests
            # give the same faults.
            hit, choice = self.rng.random(), self.rng.choice(self.spec["faults"])
            return choice if hit < self.spec["rate"] else None
        if self.remaining > 0:
            self.remaining -= 1
            return self.spec["fault"]
        return None

    def count(self, request_line, fault):
        self.injected[fault] = self.injected.get(fault, 0) + 1
        self.recent.append({"request": " ".join(request_line.split(" ")[:2]), "fault": fault,
                            "at": round(time.time(), 3)})

    def stats(self):
        rules = dict(self.spec)
        if rules["mode"] == "next":
            rules["remaining"] = self.remaining
        return {"requests": self.requests, "forwarded": self.forwarded, "faults": self.injected,
                "rules": rules, "recent": list(self.recent)}


RULES = Rules()
UPSTREAM = ("127.0.0.1", 0)


class Head:
    def __init__(self, raw):
        self.raw = raw
        lines = raw[:-4].decode("latin-1").split("\r\n")
        self.first = lines[0]
        self.headers = []
        for line in lines[1:]:
            k, sep, v = line.partition(":")
            if not sep:
                raise ValueError(f"bad header line {line!r}")
            self.headers.append((k.strip().lower(), v.strip()))

    def get(self, name):
        for k, v in self.headers:
            if k == name:
                return v
        return None

    def tokens(self, name):
        return {t.strip().lower() for k, v in self.headers if k == name for t in v.split(",")}


def body_framing(head, is_response=False, method="", status=0):
    """("none"|"length"|"chunked"|"eof", length)."""
    if is_response and (method == "HEAD" or status in (204, 304) or 100 <= status < 200):
        return "none", 0
    if "chunked" in head.tokens("transfer-encoding"):
        return "chunked", 0
    length = head.get("content-length")
    if length is not None:
        n = int(length)
        return ("length", n) if n > 0 else ("none", 0)
    return ("eof", 0) if is_response else ("none", 0)


async def pieces(reader, framing, timeout=READ_TIMEOUT):
    """The body's raw bytes as read (chunk-size lines, CRLFs and trailers included), piece by piece.
    Yields (raw, is_data): is_data marks body content, as opposed to chunked framing."""
    kind, n = framing
    if kind == "length":
        while n > 0:
            data = await asyncio.wait_for(reader.read(min(n, PIECE)), timeout)
            if not data:
                raise asyncio.IncompleteReadError(b"", n)
            n -= len(data)
            yield data, True
    elif kind == "chunked":
        while True:
            line = await asyncio.wait_for(reader.readuntil(b"\r\n"), timeout)
            yield line, False
            size = int(line.split(b";")[0].strip(), 16)
            if size == 0:
                while True:
                    trailer = await asyncio.wait_for(reader.readuntil(b"\r\n"), timeout)
                    yield trailer, False
                    if trailer == b"\r\n":
                        return
            while size > 0:
                data = await asyncio.wait_for(reader.read(min(size, PIECE)), timeout)
                if not data:
                    raise asyncio.IncompleteReadError(b"", size)
                size -= len(data)
                yield data, True
            yield await asyncio.wait_for(reader.readexactly(2), timeout), False
    elif kind == "eof":
        while True:
            data = await asyncio.wait_for(reader.read(PIECE), timeout)
            if not data:
                return
            yield data, True


def s3_error(fault):
    code, reason, xcode, message = ERRORS[fault]
    body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{xcode}</Code><Message>{message}</Message>'
            f"<RequestId>faultproxy-{fault}</RequestId></Error>").encode()
    return code, reason, body


async def answer(writer, code, reason, body, ctype="application/xml", close=False, head_only=False):
    writer.write(f"HTTP/1.1 {code} {reason}\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
                 f"Connection: {'close' if close else 'keep-alive'}\r\n\r\n".encode() + (b"" if head_only else body))
    await writer.drain()


async def reset(writer, settle=0.05):
    """Drop the connection with a TCP RST (SO_LINGER 0), after what was written had time to leave."""
    try:
        await writer.drain()
        await asyncio.sleep(settle)
    except ConnectionError:
        pass
    sock = writer.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        except OSError:
            pass
    writer.transport.abort()


async def control(head, reader, writer):
    body = b"".join([p async for p, _ in pieces(reader, body_framing(head))])
    method, target = head.first.split(" ")[:2]
    path = target.split("?")[0].rstrip("/")
    code, payload = 200, None
    if method == "POST" and path in ("/__fault__", "/__fault__/rules"):
        try:
            RULES.set(json.loads(body or b"{}"))
            payload = {"ok": True, "rules": RULES.stats()["rules"]}
        except (ValueError, RuleError) as e:
            code, payload = 400, {"ok": False, "error": str(e)}
    elif method == "GET" and path in ("/__fault__", "/__fault__/stats"):
        payload = RULES.stats()
    elif method == "POST" and path == "/__fault__/reset":
        RULES.__init__()
        payload = {"ok": True}
    else:
        code, payload = 404, {"ok": False, "error": f"no control {method} {path}"}
    await answer(writer, code, "OK" if code == 200 else "Bad Request" if code == 400 else "Not Found",
                 json.dumps(payload).encode(), "application/json")


async def pump(reader, upstream_writer, framing):
    async for raw, _ in pieces(reader, framing):
        upstream_writer.write(raw)
        await upstream_writer.drain()


async def exchange(head, reader, writer):
    """One request. Returns True when the client connection stays usable."""
    method = head.first.split(" ")[0]
    framing = body_framing(head)
    has_body = framing[0] != "none"
    expects = "100-continue" in head.tokens("expect")
    client_keeps = "close" not in head.tokens("connection") and not head.first.endswith("HTTP/1.0")
    fault = RULES.pick(head.first)

    if fault == "reset":
        RULES.count(head.first, fault)
        if has_body:
            if expects:
                writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            want = max(1, framing[1] // 2) if framing[0] == "length" else 1
            got = 0
            try:
                async for raw, _ in pieces(reader, framing, timeout=10):
                    got += len(raw)
                    if got >= want:
                        break
            except (asyncio.TimeoutError, asyncio.IncompleteReadError):
                pass
        await reset(writer, settle=0)
        return False
    if fault in ERRORS:
        RULES.count(head.first, fault)
        code, reason, body = s3_error(fault)
        if has_body and expects:  # the client has not sent the body and will not: end the connection
            await answer(writer, code, reason, body, close=True)
            return False
        async for _ in pieces(reader, framing):
            pass
        await answer(writer, code, reason, body, close=not client_keeps, head_only=method == "HEAD")
        return client_keeps

    try:
        up_reader, up_writer = await asyncio.wait_for(asyncio.open_connection(*UPSTREAM), CONNECT_TIMEOUT)
    except (OSError, asyncio.TimeoutError) as e:  # not a fault of ours: say so plainly
        await answer(writer, 502, "Bad Gateway", f"faultproxy: upstream {UPSTREAM}: {e}".encode(), "text/plain",
                     close=True)
        return False
    sender = None
    try:
        up_writer.write(head.raw)
        await up_writer.drain()
        if has_body:
            sender = asyncio.create_task(pump(reader, up_writer, framing))
        while True:
            read_head = asyncio.ensure_future(up_reader.readuntil(b"\r\n\r\n"))
            waiting = {read_head} | ({sender} if sender and not sender.done() else set())
            while not read_head.done():
                done, _ = await asyncio.wait(waiting, timeout=RESPONSE_TIMEOUT,
                                             return_when=asyncio.FIRST_COMPLETED)
                if not done:
                    read_head.cancel()
                    raise asyncio.TimeoutError("upstream did not answer")
                if sender in done:
                    waiting.discard(sender)
                    if sender.exception() is not None:  # the client went away mid-body
                        read_head.cancel()
                        await reset(writer, settle=0)
                        return False
            rhead = Head(read_head.result())
            status = int(rhead.first.split(" ")[1])
            if 100 <= status < 200 and status != 101:
                writer.write(rhead.raw)  # 100 Continue and friends: relay, then wait for the final answer
                await writer.drain()
                continue
            break
        rframing = body_framing(rhead, True, method, status)
        if fault in BODY_FAULTS and (rframing[0] == "none" or (fault == "truncate" and rframing == ("length", 1))):
            fault = "reset-response"  # nothing to cut or corrupt: lose the whole answer instead
        if fault:
            RULES.count(head.first, fault)
        else:
            RULES.forwarded += 1
        if fault == "reset-response" and rframing[0] == "none":
            await reset(writer, settle=0)
            return False
        if fault == "stall":
            await asyncio.sleep(RULES.stall)
        writer.write(rhead.raw)
        half = rframing[1] // 2 if rframing[0] == "length" else None
        sent = 0  # body bytes sent (chunk framing excluded)
        async for raw, is_data in pieces(up_reader, rframing):
            if is_data and fault in ("stall-body", "reset-response", "truncate") and half is None:
                half = max(1, len(raw) // 2)  # chunked or until-close: cut inside the first data piece
            if is_data and fault in ("stall-body", "reset-response", "truncate") and sent + len(raw) > half:
                cut = half - sent
                writer.write(raw[:cut])
                await writer.drain()
                if fault == "reset-response":
                    await reset(writer)
                    return False
                if fault == "truncate":
                    writer.close()
                    return False
                await asyncio.sleep(RULES.stall)  # stall-body: then the rest
                raw, sent, fault = raw[cut:], sent + cut, "stalled"
            if is_data and fault == "flip":
                middle = (rframing[1] // 2 - sent) if rframing[0] == "length" else len(raw) // 2
                if 0 <= middle < len(raw):
                    raw = raw[:middle] + bytes([raw[middle] ^ 0x01]) + raw[middle + 1:]
                    fault = "flipped"
            if is_data:
                sent += len(raw)
            writer.write(raw)
            await writer.drain()
        if sender is not None and not sender.done():
            sender.cancel()  # answered before the whole body came (an early error): the stream is unusable
            return False
        upstream_closes = "close" in rhead.tokens("connection") or rframing[0] == "eof"
        return client_keeps and not upstream_closes
    finally:
        if sender is not None and not sender.done():
            sender.cancel()
        up_writer.close()


async def handle(reader, writer):
    try:
        while True:
            try:
                raw = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                return
            head = Head(raw)
            target = head.first.split(" ")[1] if " " in head.first else ""
            if target.startswith("/__fault__"):
                await control(head, reader, writer)
                continue
            if not await exchange(head, reader, writer):
                return
    except (ConnectionError, asyncio.IncompleteReadError, asyncio.TimeoutError, asyncio.CancelledError):
        pass
    except Exception:  # a proxy bug must show in the log, not look like an injected fault
        import traceback
        traceback.print_exc()
        sys.stderr.flush()
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def serve(host, port, port_file, rule):
    global UPSTREAM
    if host not in LOOPBACK:
        sys.exit(f"faultproxy: upstream {host} is not loopback")
    UPSTREAM = (host, port)
    if rule:
        RULES.set(json.loads(rule))
    server = await asyncio.start_server(handle, "127.0.0.1", 0, limit=1 << 20)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(server.sockets[0].getsockname()[1]))
    os.replace(port_file + ".tmp", port_file)
    async with server:
        await server.serve_forever()


def ours(pid, state):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = f.read().decode(errors="replace")
    except OSError:
        return False
    return "faultproxy.py" in cmd and os.path.join(state, "faultproxy.port") in cmd


def start(state, rule=None):
    stop(state, quiet=True)
    with open(os.path.join(state, "server.json")) as f:
        info = json.load(f)
    host, port = info["endpoint"].split("://")[1].rsplit(":", 1)
    port_file = os.path.join(state, "faultproxy.port")
    if os.path.exists(port_file):
        os.unlink(port_file)
    if rule:
        Rules().set(json.loads(rule))  # refuse a bad rule here, not in the background
    log = open(os.path.join(state, "faultproxy.log"), "ab")
    p = subprocess.Popen([sys.executable, os.path.abspath(__file__), "serve", host, port, port_file]
                         + ([rule] if rule else []),
                         stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 15
    while not os.path.exists(port_file):
        if time.time() > deadline or p.poll() is not None:
            sys.exit(f"faultproxy: did not start; see {state}/faultproxy.log")
        time.sleep(0.02)
    with open(port_file) as f:
        proxy_port = int(f.read())
    endpoint = f"http://127.0.0.1:{proxy_port}"
    tmp = os.path.join(state, "faultproxy.json.tmp")
    with open(tmp, "w") as f:
        json.dump({"endpoint": endpoint, "pid": p.pid, "control": f"{endpoint}/__fault__",
                   "upstream": info["endpoint"]}, f, indent=2)
    os.replace(tmp, os.path.join(state, "faultproxy.json"))
    print(f"faultproxy: {endpoint} -> {info['endpoint']}")


def stop(state, quiet=False):
    if not stop_recorded(os.path.join(state, "faultproxy.json"), lambda pid: ours(pid, state)):
        if not quiet:
            print(f"faultproxy: nothing running in {state}")
        return
    if not quiet:
        print(f"faultproxy: stopped ({state})")


if __name__ == "__main__":
    args = sys.argv[1:]
    if len(args) in (4, 5) and args[0] == "serve":
        try:
            asyncio.run(serve(args[1], int(args[2]), args[3], args[4] if len(args) == 5 else None))
        except KeyboardInterrupt:
            pass
    elif len(args) in (2, 3) and args[0] == "start":
        start(os.path.abspath(args[1]), args[2] if len(args) == 3 else None)
    elif len(args) == 2 and args[0] == "stop":
        stop(os.path.abspath(args[1]))
    else:
        sys.exit(__doc__)
