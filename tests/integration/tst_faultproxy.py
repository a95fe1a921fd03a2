#!/usr/bin/python3
"""Self-test of the fault-injecting proxy (tests/support/faultproxy/faultproxy.py).

Proves that it forwards byte for byte (against a recording upstream of its own), that S3 requests signed
for the proxy's address pass through it to the real server (Swift + s3api, fixture s3server), and that
each fault kind does what it says. It runs its own proxy instances, so it never changes the rules of the
shared `faultproxy` fixture instance other tests use; of that one it only reads the stats.

Without the server: exit 77 (CTest SKIP_RETURN_CODE) with a loud message, but fail when CI=true or
MOLTDESK_REQUIRE_S3=1.
"""
import hashlib
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
PROXY = os.path.join(HERE, "..", "support", "faultproxy", "faultproxy.py")
BUCKET = "moltdesk-test"
PREFIX = "faultproxy-selftest/"


def required():
    return os.environ.get("CI") == "true" or os.environ.get("MOLTDESK_REQUIRE_S3") == "1"


def load_server():
    path = os.environ.get("MOLTDESK_S3_SERVER_JSON", "")
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        msg = (f"REAL S3 SERVER UNAVAILABLE, FAULT PROXY SELF-TEST NOT RUN: no server description at {path!r} "
               f"(MOLTDESK_S3_SERVER_JSON; run through ctest so the s3server fixture starts Swift): {e}")
        if required():
            sys.exit("FAIL: " + msg)
        print("SKIP: " + msg, flush=True)
        sys.exit(77)


SERVER = None


class Proxy:
    """An instance of our own, in front of host:port."""

    def __init__(self, host, port, rule=None):
        self.dir = tempfile.mkdtemp(prefix="faultproxy-test-")
        port_file = os.path.join(self.dir, "port")
        self.log = open(os.path.join(self.dir, "log"), "wb")
        self.proc = subprocess.Popen([sys.executable, PROXY, "serve", host, str(port), port_file]
                                     + ([json.dumps(rule)] if rule else []),
                                     stdout=self.log, stderr=self.log, stdin=subprocess.DEVNULL)
        deadline = time.time() + 15
        while not os.path.exists(port_file):
            assert self.proc.poll() is None and time.time() < deadline, "the proxy did not start"
            time.sleep(0.02)
        with open(port_file) as f:
            self.port = int(f.read())
        self.endpoint = f"http://127.0.0.1:{self.port}"

    def control(self, method, path, body=None):
        req = urllib.request.Request(self.endpoint + path, method=method,
                                     data=json.dumps(body).encode() if body is not None else None)
        try:
            with urllib.request.urlopen(req, timeout=5) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    def rule(self, spec):
        status, reply = self.control("POST", "/__fault__/rules", spec)
        assert status == 200, reply
        return reply

    def stats(self):
        return self.control("GET", "/__fault__/stats")[1]

    def close(self):
        self.proc.terminate()
        self.proc.wait(10)
        self.log.close()
        with open(os.path.join(self.dir, "log"), "rb") as f:
            log = f.read().decode(errors="replace")
        # A traceback in the proxy's log is a proxy bug, whatever the client saw.
        assert "Traceback" not in log, log


def sign(method, endpoint, path, body=b"", user="admin", secret=None, headers=None):
    import botocore.auth
    import botocore.awsrequest
    import botocore.credentials
    u = SERVER["users"][user]
    creds = botocore.credentials.Credentials(u["accessKeyId"], secret or u["secret"])
    req = botocore.awsrequest.AWSRequest(method=method, url=endpoint + path, data=body, headers=headers or {})
    botocore.auth.S3SigV4Auth(creds, "s3", SERVER["region"]).add_auth(req)
    return dict(req.headers.items())


def s3(conn, endpoint, method, path, body=b"", **kw):
    """A signed request on an http.client connection (kept alive); returns (status, headers, body)."""
    conn.request(method, path, body=body or None, headers=sign(method, endpoint, path, body, **kw))
    r = conn.getresponse()
    data = r.read()
    return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data


def direct(method, path, body=b""):
    host, port = SERVER["endpoint"].split("://")[1].rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        return s3(conn, SERVER["endpoint"], method, path, body)
    finally:
        conn.close()


def code_of(body):
    import re
    m = re.search(rb"<Code>([^<]*)</Code>", body)
    return m.group(1).decode() if m else None


class Recorder:
    """A raw upstream that records every byte it receives and answers with canned bytes, so forwarding
    can be compared byte for byte in both directions."""

    def __init__(self, responses):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.responses = list(responses)  # (bytes expected to end a request, response bytes, interim)
        self.received = []
        threading.Thread(target=self.run, daemon=True).start()

    def run(self):
        while self.responses:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            with c:
                end, response, interim = self.responses.pop(0)
                data = b""
                c.settimeout(10)
                while b"\r\n\r\n" not in data:
                    data += c.recv(65536)
                if interim:
                    c.sendall(interim)
                while not data.endswith(end):
                    chunk = c.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                self.received.append(data)
                c.sendall(response)
                time.sleep(0.1)


class ForwardingIsByteExact(unittest.TestCase):
    def test_requests_and_responses_unchanged_on_one_kept_alive_connection(self):
        body1 = bytes(range(256)) * 40
        req1 = (b"PUT /b/k%2Bey?x-id=PutObject&a=%20 HTTP/1.1\r\nHost: 127.0.0.1:9\r\nX-Amz-Meta-Odd:  two  spaces \r\n"
                b"x-amz-meta-dup: 1\r\nX-AMZ-META-DUP: 2\r\nContent-Length: " + str(len(body1)).encode()
                + b"\r\n\r\n" + body1)
        chunked = b"5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n"
        req2 = (b"POST /b/k HTTP/1.1\r\nHost: 127.0.0.1:9\r\nTransfer-Encoding: chunked\r\n"
                b"Expect: 100-continue\r\n\r\n" + chunked)
        req3 = b"HEAD /b/k HTTP/1.1\r\nHost: 127.0.0.1:9\r\n\r\n"
        resp1 = (b"HTTP/1.1 200 OK\r\nETag: \"abc\"\r\nX-Odd:  kept \r\nContent-Length: 11\r\n\r\nhello world")
        resp2 = (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
                 b"3\r\nabc\r\n4;x=y\r\ndefg\r\n0\r\n\r\n")
        resp3 = b"HTTP/1.1 200 OK\r\nContent-Length: 123456\r\nETag: \"h\"\r\n\r\n"  # HEAD: length, no body
        rec = Recorder([(body1, resp1, None), (b"X-Trailer: t\r\n\r\n", resp2, b"HTTP/1.1 100 Continue\r\n\r\n"),
                        (b"\r\n\r\n", resp3, None)])
        proxy = Proxy("127.0.0.1", rec.port)
        try:
            c = socket.create_connection(("127.0.0.1", proxy.port), timeout=10)
            f = c.makefile("rb")
            c.sendall(req1)
            got1 = f.read(len(resp1))
            c.sendall(req2[:req2.index(b"\r\n\r\n") + 4])
            interim = b"HTTP/1.1 100 Continue\r\n\r\n"
            self.assertEqual(f.read(len(interim)), interim)
            c.sendall(chunked)
            got2 = f.read(len(resp2))
            c.sendall(req3)
            got3 = f.read(len(resp3))
            c.close()
            self.assertEqual(rec.received, [req1, req2, req3])
            self.assertEqual([got1, got2, got3], [resp1, resp2, resp3])
            self.assertEqual(proxy.stats()["forwarded"], 3)
        finally:
            proxy.close()
            rec.sock.close()


class ThroughSwift(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        host, port = SERVER["endpoint"].split("://")[1].rsplit(":", 1)
        cls.proxy = Proxy(host, int(port))
        cls.ep = cls.proxy.endpoint
        cls.body = os.urandom(200_000)
        cls.key = f"/{BUCKET}/{PREFIX}obj"
        status = direct("PUT", cls.key, cls.body)[0]
        assert status == 200, status

    @classmethod
    def tearDownClass(cls):
        cls.proxy.close()
        for k in ("obj", "put-503", "put-reset", "put-ok", "put-next"):
            direct("DELETE", f"/{BUCKET}/{PREFIX}{k}")

    def setUp(self):
        self.proxy.control("POST", "/__fault__/reset")
        self.conn = http.client.HTTPConnection("127.0.0.1", self.proxy.port, timeout=30)

    def tearDown(self):
        self.conn.close()

    def get(self, timeout=30):
        self.conn.timeout = timeout
        return s3(self.conn, self.ep, "GET", self.key)

    def test_signed_for_the_proxy_address_and_kept_alive(self):
        status, h, data = s3(self.conn, self.ep, "PUT", f"/{BUCKET}/{PREFIX}put-ok", b"via proxy")
        self.assertEqual(status, 200, data)
        sock = self.conn.sock
        status, h, data = self.get()
        self.assertEqual((status, hashlib.md5(data).digest()), (200, hashlib.md5(self.body).digest()))
        self.assertEqual(h["etag"].strip('"'), hashlib.md5(self.body).hexdigest())
        status, h, data = s3(self.conn, self.ep, "HEAD", self.key)
        self.assertEqual((status, int(h["content-length"]), data), (200, len(self.body), b""))
        status, _, data = s3(self.conn, self.ep, "GET", f"/{BUCKET}?list-type=2&prefix={PREFIX.replace('/', '%2F')}")
        self.assertEqual(status, 200, data)
        self.assertIn(f"<Key>{PREFIX}obj</Key>".encode(), data)
        self.assertIs(self.conn.sock, sock, "the client connection was not kept alive")
        self.assertEqual(direct("GET", f"/{BUCKET}/{PREFIX}put-ok")[2], b"via proxy")
        # The proxy does not make authentication weaker: wrong secret and scoping still hold.
        status, _, data = s3(self.conn, self.ep, "GET", self.key, secret="not-the-secret")
        self.assertEqual((status, code_of(data)), (403, "SignatureDoesNotMatch"))
        status, _, data = s3(self.conn, self.ep, "GET", "/moltbot-data-production?list-type=2", user="dev")
        self.assertEqual((status, code_of(data)), (403, "AccessDenied"))
        st = self.proxy.stats()
        self.assertEqual((st["requests"], st["forwarded"], st["faults"]), (6, 6, {}))

    def test_error_answers_are_s3_errors_and_not_forwarded(self):
        for fault, status, code in (("500", 500, "InternalError"), ("503", 503, "SlowDown"), ("429", 429, "SlowDown")):
            self.proxy.rule({"mode": "next", "count": 1, "fault": fault, "match": "PUT "})
            got, h, data = s3(self.conn, self.ep, "PUT", f"/{BUCKET}/{PREFIX}put-503", b"never stored")
            self.assertEqual((got, code_of(data), h["content-type"]), (status, code, "application/xml"))
            self.assertEqual(direct("HEAD", f"/{BUCKET}/{PREFIX}put-503")[0], 404, "an injected error reached upstream")
            got, _, data = self.get()  # same connection, rule used up: clean again
            self.assertEqual((got, data == self.body), (200, True))
        self.assertEqual(self.proxy.stats()["faults"], {"500": 1, "503": 1, "429": 1})

    def test_reset_mid_request_body(self):
        self.proxy.rule({"mode": "next", "count": 1, "fault": "reset", "match": "PUT "})
        with self.assertRaises((ConnectionError, http.client.HTTPException)):
            s3(self.conn, self.ep, "PUT", f"/{BUCKET}/{PREFIX}put-reset", os.urandom(4 << 20))
        self.assertEqual(direct("HEAD", f"/{BUCKET}/{PREFIX}put-reset")[0], 404)
        self.assertEqual(self.proxy.stats()["faults"], {"reset": 1})

    def test_reset_mid_response_body(self):
        self.proxy.rule({"mode": "next", "count": 1, "fault": "reset-response", "match": "GET /"})
        self.conn.request("GET", self.key, headers=sign("GET", self.ep, self.key))
        r = self.conn.getresponse()
        self.assertEqual(r.status, 200)
        got = b""
        with self.assertRaises((ConnectionError, http.client.IncompleteRead)):
            while True:
                chunk = r.read1(65536)
                if not chunk:
                    raise http.client.IncompleteRead(got)
                got += chunk
        self.assertLess(len(got), len(self.body))
        self.assertEqual(self.proxy.stats()["faults"], {"reset-response": 1})

    def test_truncate(self):
        self.proxy.rule({"mode": "next", "count": 1, "fault": "truncate", "match": f"GET {self.key}"})
        with self.assertRaises(http.client.IncompleteRead) as cm:
            self.get()
        self.assertEqual(cm.exception.partial, self.body[:len(self.body) // 2])
        self.assertEqual(self.proxy.stats()["faults"], {"truncate": 1})

    def test_flip(self):
        self.proxy.rule({"mode": "next", "count": 1, "fault": "flip", "match": f"GET {self.key}"})
        status, h, data = self.get()
        self.assertEqual((status, len(data), int(h["content-length"])), (200, len(self.body), len(self.body)))
        diff = [i for i in range(len(data)) if data[i] != self.body[i]]
        self.assertEqual(diff, [len(self.body) // 2])
        self.assertEqual(self.get()[2], self.body)  # next one clean
        self.assertEqual(self.proxy.stats()["faults"], {"flip": 1})

    def test_stall_past_the_timeout(self):
        self.proxy.rule({"mode": "next", "count": 1, "fault": "stall", "match": "GET /", "stallSeconds": 2})
        t0 = time.time()
        with self.assertRaises(socket.timeout):
            self.get(timeout=0.5)
        self.assertLess(time.time() - t0, 1.8)
        self.conn.close()
        self.proxy.rule({"mode": "next", "count": 1, "fault": "stall", "match": "GET /", "stallSeconds": 1})
        t0 = time.time()
        status, _, data = self.get(timeout=10)  # a patient client gets the right answer, late
        self.assertGreaterEqual(time.time() - t0, 1.0)
        self.assertEqual((status, data == self.body), (200, True))
        self.assertEqual(self.proxy.stats()["faults"], {"stall": 2})

    def test_stall_mid_body(self):
        self.proxy.rule({"mode": "next", "count": 1, "fault": "stall-body", "match": "GET /", "stallSeconds": 2})
        self.conn.timeout = 0.5
        self.conn.request("GET", self.key, headers=sign("GET", self.ep, self.key))
        r = self.conn.getresponse()
        self.assertEqual(r.status, 200)
        with self.assertRaises(socket.timeout):
            r.read()
        self.assertEqual(self.proxy.stats()["faults"], {"stall-body": 1})

    def test_body_fault_without_a_body_loses_the_answer(self):
        self.proxy.rule({"mode": "next", "count": 1, "fault": "truncate", "match": "HEAD /"})
        with self.assertRaises((ConnectionError, http.client.HTTPException)):
            s3(self.conn, self.ep, "HEAD", self.key)
        self.assertEqual(self.proxy.stats()["faults"], {"reset-response": 1})

    def test_next_counts_only_matching_requests(self):
        self.proxy.rule({"mode": "next", "count": 2, "fault": "503", "match": "PUT /"})
        self.assertEqual(self.get()[0], 200)
        codes = [s3(self.conn, self.ep, "PUT", f"/{BUCKET}/{PREFIX}put-next", b"n")[0] for _ in range(3)]
        self.assertEqual(codes, [503, 503, 200])
        st = self.proxy.stats()
        self.assertEqual((st["faults"], st["rules"]["remaining"], st["requests"], st["forwarded"]),
                         ({"503": 2}, 0, 4, 2))
        self.assertEqual([r["request"] for r in st["recent"]], [f"PUT /{BUCKET}/{PREFIX}put-next"] * 2)

    def test_random_is_deterministic_per_seed(self):
        def run():
            self.proxy.control("POST", "/__fault__/reset")
            self.proxy.rule({"mode": "random", "rate": 0.5, "faults": ["500", "503", "429"], "seed": 7})
            return [s3(self.conn, self.ep, "HEAD", self.key)[0] for _ in range(30)]
        first, second = run(), run()
        self.assertEqual(first, second)
        self.assertTrue({200, 500, 503, 429} <= set(first), first)
        st = self.proxy.stats()
        self.assertEqual(sum(st["faults"].values()), sum(1 for c in first if c != 200))

    def test_control_refuses_bad_rules(self):
        for bad in ({"mode": "sometimes"}, {"mode": "next", "fault": "explode"}, {"mode": "random", "faults": ["503"]},
                    {"mode": "random", "rate": 2, "faults": ["503"]}, {"mode": "next", "fault": "503", "typo": 1}):
            status, reply = self.proxy.control("POST", "/__fault__/rules", bad)
            self.assertEqual((status, reply["ok"]), (400, False), bad)
        self.assertEqual(self.proxy.control("GET", "/__fault__/nope")[0], 404)
        self.assertEqual(self.proxy.stats()["rules"], {"mode": "off"})

    def test_concurrent_clients(self):
        results = []

        def worker():
            c = http.client.HTTPConnection("127.0.0.1", self.proxy.port, timeout=30)
            for _ in range(5):
                results.append(s3(c, self.ep, "GET", self.key)[2] == self.body)
            c.close()
        threads = [threading.Thread(target=worker) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(results, [True] * 20)


class FixtureInstance(unittest.TestCase):
    def test_the_fixture_proxy_answers(self):
        path = os.environ.get("MOLTDESK_FAULT_PROXY_JSON", "")
        with open(path) as f:
            info = json.load(f)
        self.assertEqual(info["upstream"], SERVER["endpoint"])
        with urllib.request.urlopen(info["control"] + "/stats", timeout=5) as r:
            stats = json.loads(r.read())
        self.assertIn("faults", stats)
        self.assertTrue(info["endpoint"].startswith("http://127.0.0.1:"))


if __name__ == "__main__":
    SERVER = load_server()
    unittest.main(verbosity=2)
