#!/usr/bin/python3
"""The project's fault-injecting HTTP proxy, in front of the test S3 server.

    faultproxy.py start STATE_DIR   read STATE_DIR/server.json, serve on a free loopback port in the
                                    background, write STATE_DIR/faultproxy.json {endpoint, pid, control}
    faultproxy.py stop STATE_DIR
    faultproxy.py serve UPSTREAM_HOST UPSTREAM_PORT PORT_FILE   (the server itself)

Requests are forwarded byte for byte (the Host header is kept, so signatures made for the proxy's
address stay valid). Control, on the proxy's own port:
    POST /__fault__/rules  {"mode":"random","rate":0.1,"faults":["reset","500","503","429","stall",
                            "truncate","flip"],"seed":7,"stallSeconds":3}
                           {"mode":"next","count":3,"fault":"503","match":"GET /bucket"}
                           {"mode":"off"}
    GET  /__fault__/stats  {"requests":N,"faults":{"503":2,...}}
Faults: 500/503/429 answer at once with an S3 error (not forwarded, so nothing happens upstream);
reset closes the connection before forwarding (half a request body read); reset-response forwards,
then closes halfway through the response body; stall waits stallSeconds before answering; truncate
sends a response whose body is shorter than its Content-Length; flip changes one byte of a body.
Only loopback; bounded: every upstream exchange has a timeout.
"""
import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time

ERROR_BODIES = {
    "500": (500, "InternalError", "We encountered an internal error. Please try again."),
    "503": (503, "SlowDown", "Please reduce your request rate."),
    "429": (429, "SlowDown", "Too many requests to this key."),
}
BODY_FAULTS = ("reset-response", "truncate", "flip")


class Rules:
    def __init__(self):
        self.mode = "off"
        self.rate = 0.0
        self.faults = []
        self.rng = random.Random(0)
        self.count = 0
        self.fault = None
        self.match = ""
        self.stall = 3.0
        self.requests = 0
        self.injected = {}

    def set(self, spec):
        self.mode = spec.get("mode", "off")
        self.rate = float(spec.get("rate", 0.0))
        self.faults = list(spec.get("faults", []))
        self.rng = random.Random(spec.get("seed", 0))
        self.count = int(spec.get("count", 0))
        self.fault = spec.get("fault")
        self.match = spec.get("match", "")
        self.stall = float(spec.get("stallSeconds", 3.0))

    def pick(self, request_line, has_body_response):
        self.requests += 1
        chosen = None
        if self.mode == "random" and self.faults and self.rng.random() < self.rate:
            chosen = self.rng.choice(self.faults)
        elif self.mode == "next" and self.count > 0 and self.match in request_line:
            self.count -= 1
            chosen = self.fault
        if chosen in ("truncate", "flip") and not has_body_response:
            chosen = "reset-response"
        if chosen:
            self.injected[chosen] = self.injected.get(chosen, 0) + 1
        return chosen


RULES = Rules()


async def read_head(reader):
    data = await reader.readuntil(b"\r\n\r\n")
    lines = data.decode("latin-1").split("\r\n")
    headers = []
    for line in lines[1:]:
        if line:
            k, _, v = line.partition(":")
            headers.append((k.strip(), v.strip()))
    return lines[0], headers, data


def header(headers, name):
    for k, v in headers:
        if k.lower() == name:
            return v
    return None


async def read_body(reader, headers, method=None, status=None):
    length = header(headers, "content-length")
    if method == "HEAD" or (status is not None and (status in (204, 304) or 100 <= status < 200)):
        return b""
    if header(headers, "transfer-encoding") and "chunked" in header(headers, "transfer-encoding").lower():
        body = b""
        while True:
            size_line = await reader.readuntil(b"\r\n")
            size = int(size_line.split(b";")[0].strip(), 16)
            if size == 0:
                # optional trailers, then the empty line that ends the body
                while (await reader.readuntil(b"\r\n")) != b"\r\n":
                    pass
                return body
            chunk = await reader.readexactly(size + 2)
            body += chunk[:-2]
    if length is not None:
        return await reader.readexactly(int(length))
    if status is not None:
        return await reader.read()  # until close
    return b""


def error_response(code, xcode, message):
    body = (f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{xcode}</Code><Message>{message}</Message>'
            f"<RequestId>faultproxy</RequestId></Error>").encode()
    head = (f"HTTP/1.1 {code} Injected\r\nContent-Type: application/xml\r\nContent-Length: {len(body)}\r\n"
            f"Connection: keep-alive\r\n\r\n").encode()
    return head + body


def build_response(status_line, headers, body, override_length=None):
    out = [status_line]
    for k, v in headers:
        if k.lower() in ("transfer-encoding", "content-length", "connection"):
            continue
        out.append(f"{k}: {v}")
    out.append(f"Content-Length: {override_length if override_length is not None else len(body)}")
    out.append("Connection: keep-alive")
    return ("\r\n".join(out) + "\r\n\r\n").encode("latin-1")


async def control(method, path, body, writer):
    if path.startswith("/__fault__/rules") and method == "POST":
        RULES.set(json.loads(body or b"{}"))
        payload = b'{"ok":true}'
    elif path.startswith("/__fault__/stats"):
        payload = json.dumps({"requests": RULES.requests, "faults": RULES.injected}).encode()
    elif path.startswith("/__fault__/reset"):
        RULES.set({"mode": "off"})
        RULES.requests = 0
        RULES.injected = {}
        payload = b'{"ok":true}'
    else:
        payload = b'{"error":"unknown control path"}'
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                 str(len(payload)).encode() + b"\r\nConnection: keep-alive\r\n\r\n" + payload)
    await writer.drain()


def hard_close(writer):
    sock = writer.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        except OSError:
            pass
    writer.close()


async def handle(reader, writer, upstream):
    try:
        while True:
            try:
                request_line, headers, raw_head = await read_head(reader)
            except (asyncio.IncompleteReadError, ConnectionError):
                break
            method, path = request_line.split(" ")[0], request_line.split(" ")[1]
            if path.startswith("/__fault__"):
                body = await read_body(reader, headers)
                await control(method, path, body, writer)
                continue
            fault = RULES.pick(request_line, method == "GET")
            if fault == "reset":
                length = int(header(headers, "content-length") or 0)
                if length:
                    await reader.read(min(length // 2 + 1, 65536))
                hard_close(writer)
                return
            body = await read_body(reader, headers)
            if fault in ERROR_BODIES:
                writer.write(error_response(*ERROR_BODIES[fault]))
                await writer.drain()
                continue
            if fault == "stall":
                await asyncio.sleep(RULES.stall)
            # Forward on a fresh upstream connection, asking it to close after the exchange.
            up_r, up_w = await asyncio.wait_for(asyncio.open_connection(*upstream), 10)
            fwd = [request_line] + [f"{k}: {v}" for k, v in headers if k.lower() not in ("connection", "keep-alive")]
            fwd.append("Connection: close")
            up_w.write(("\r\n".join(fwd) + "\r\n\r\n").encode("latin-1") + body)
            await up_w.drain()
            status_line, rheaders, _ = await asyncio.wait_for(read_head(up_r), 60)
            status = int(status_line.split(" ")[1])
            rbody = await asyncio.wait_for(read_body(up_r, rheaders, method, status), 120)
            up_w.close()
            if fault == "reset-response" and rbody:
                writer.write(build_response(status_line, rheaders, rbody) + rbody[: len(rbody) // 2])
                await writer.drain()
                hard_close(writer)
                return
            if fault == "reset-response":
                hard_close(writer)
                return
            if fault == "truncate" and len(rbody) > 1:
                writer.write(build_response(status_line, rheaders, rbody) + rbody[: len(rbody) // 2])
                await writer.drain()
                writer.close()
                return
            if fault == "flip" and rbody:
                i = len(rbody) // 2
                rbody = rbody[:i] + bytes([rbody[i] ^ 0x55]) + rbody[i + 1:]
            writer.write(build_response(status_line, rheaders, rbody) + (rbody if method != "HEAD" else b""))
            if method == "HEAD":
                pass
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError, asyncio.TimeoutError, asyncio.LimitOverrunError):
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


def build_head_only(status_line, headers):
    return ("\r\n".join([status_line] + [f"{k}: {v}" for k, v in headers]) + "\r\n\r\n").encode("latin-1")


async def serve(host, port, port_file):
    upstream = (host, port)
    server = await asyncio.start_server(lambda r, w: handle(r, w, upstream), "127.0.0.1", 0, limit=1 << 20)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(server.sockets[0].getsockname()[1]))
    os.replace(port_file + ".tmp", port_file)
    async with server:
        await server.serve_forever()


def start(state):
    info = json.load(open(os.path.join(state, "server.json")))
    hostport = info["endpoint"].split("://")[1]
    host, port = hostport.split(":")
    port_file = os.path.join(state, "faultproxy.port")
    if os.path.exists(port_file):
        os.unlink(port_file)
    log = open(os.path.join(state, "faultproxy.log"), "ab")
    p = subprocess.Popen([sys.executable, os.path.abspath(__file__), "serve", host, port, port_file],
                         stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 15
    while not os.path.exists(port_file):
        if time.time() > deadline or p.poll() is not None:
            sys.exit("faultproxy: did not start; see faultproxy.log")
        time.sleep(0.05)
    proxy_port = int(open(port_file).read())
    json.dump({"endpoint": f"http://127.0.0.1:{proxy_port}", "pid": p.pid,
               "control": f"http://127.0.0.1:{proxy_port}/__fault__"}, open(os.path.join(state, "faultproxy.json"), "w"))
    print(f"faultproxy: http://127.0.0.1:{proxy_port} -> {info['endpoint']}")


def stop(state):
    path = os.path.join(state, "faultproxy.json")
    if os.path.exists(path):
        try:
            os.killpg(json.load(open(path))["pid"], signal.SIGTERM)
        except (ProcessLookupError, PermissionError):
            pass
        os.unlink(path)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "serve":
        asyncio.run(serve(sys.argv[2], int(sys.argv[3]), sys.argv[4]))
    elif len(sys.argv) == 3 and sys.argv[1] in ("start", "stop"):
        (start if sys.argv[1] == "start" else stop)(os.path.abspath(sys.argv[2]))
    else:
        sys.exit(__doc__)
