#!/usr/bin/python3
"""A hostile S3 endpoint for the bad-input corpus: answers every request with one scenario's broken
reply (malformed XML, HTML with 200, entity expansion, a truncated listing without a token, a repeated
continuation token, a listing cut short, keys that escape, a skewed clock...). It checks no signature:
it is the server we must survive, not the one we trust.

    hostile_s3.py SCENARIO        prints the port on stdout, serves until stdin closes or it is killed
"""
import hashlib
import http.server
import sys
import threading
import urllib.parse

SCENARIO = sys.argv[1]
XML = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def listing(keys, truncated=False, token=None):
    body = [b"<ListBucketResult><Name>moltbot-data-development</Name><Prefix></Prefix>",
            b"<IsTruncated>%s</IsTruncated>" % (b"true" if truncated else b"false")]
    if token:
        body.append(b"<NextContinuationToken>%s</NextContinuationToken>" % token.encode())
    for k in keys:
        data = content(k)
        body.append(b"<Contents><Key>%s</Key><LastModified>2026-02-04T10:15:30.000Z</LastModified>"
                    b"<ETag>&quot;%s&quot;</ETag><Size>%d</Size></Contents>"
                    % (k.encode().replace(b"&", b"&amp;").replace(b"<", b"&lt;"), hashlib.md5(data).hexdigest().encode(),
                       len(data)))
    body.append(b"</ListBucketResult>")
    return XML + b"".join(body)


def content(key):
    return b"2026-02-04T10:15:30+00:00\n" if key == ".last-sync" else b"content of " + key.encode("utf-8", "replace")


ESCAPING = {
    "keys-absolute": ["clawdbot//etc/moltdesk-escape", "clawdbot/clawdbot.json", ".last-sync"],
    "keys-dotdot": ["clawdbot/../../moltdesk-escape", "clawdbot/clawdbot.json", ".last-sync"],
    "keys-backslash": ["clawdbot/..\\..\\moltdesk-escape", "clawdbot/clawdbot.json", ".last-sync"],
    "keys-long": ["clawdbot/" + "x" * 1100, "clawdbot/clawdbot.json", ".last-sync"],
    "keys-nfc": ["clawdbot/caf\u00e9.md", "clawdbot/cafe\u0301.md", "clawdbot/clawdbot.json", ".last-sync"],
}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body, ctype="application/xml", length=None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        parts = path.lstrip("/").split("/", 1)
        if len(parts) == 1 or not parts[1]:
            return self.send(200, b"")
        data = content(parts[1])
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("ETag", '"%s"' % hashlib.md5(data).hexdigest())
        self.end_headers()

    def do_PUT(self):
        n = int(self.headers.get("Content-Length", "0"))
        data = self.rfile.read(n)
        self.send_response(200)
        self.send_header("ETag", '"%s"' % hashlib.md5(data).hexdigest())
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        path = urllib.parse.unquote(url.path)
        parts = path.lstrip("/").split("/", 1)
        if SCENARIO == "clock-skew":
            return self.send(403, XML + b"<Error><Code>RequestTimeTooSkewed</Code><Message>The difference between "
                             b"the request time and the current time is too large.</Message><RequestTime>20261130T120000Z"
                             b"</RequestTime><ServerTime>2026-11-30T11:35:00Z</ServerTime></Error>")
        if len(parts) == 2 and parts[1]:  # an object
            data = content(parts[1])
            if SCENARIO == "object-short":
                self.send_response(200)
                self.send_header("Content-Length", str(len(data) + 100))
                self.send_header("ETag", '"%s"' % hashlib.md5(data).hexdigest())
                self.end_headers()
                self.wfile.write(data)
                self.close_connection = True
                return
            return self.send(200, data, "application/octet-stream")
        token = query.get("continuation-token", [None])[0]
        if SCENARIO == "malformed-xml":
            return self.send(200, XML + b"<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>a</Key>")
        if SCENARIO == "html-200":
            return self.send(200, b"<!DOCTYPE html><html><body><h1>Welcome to nginx!</h1></body></html>", "text/html")
        if SCENARIO == "entity-expansion":
            lol = b"".join(b'<!ENTITY l%d "%s">' % (i, b"&l%d;" % (i - 1) * 10) for i in range(1, 10))
            return self.send(200, XML + b'<!DOCTYPE r [<!ENTITY l0 "lol">' + lol + b"]><ListBucketResult>"
                             b"<IsTruncated>false</IsTruncated><Contents><Key>&l9;</Key><Size>1</Size></Contents>"
                             b"</ListBucketResult>")
        if SCENARIO == "truncated-no-token":
            return self.send(200, listing(["clawdbot/a"], truncated=True))
        if SCENARIO == "repeated-token":
            return self.send(200, listing(["clawdbot/a" if token is None else "clawdbot/b"], truncated=True, token="same"))
        if SCENARIO == "listing-cut-short":  # announces more than it sends, then hangs up
            body = listing(["clawdbot/%04d" % i for i in range(200)])
            self.send_response(200)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.close_connection = True
            return
        if SCENARIO == "empty-200":
            return self.send(200, b"")
        if SCENARIO == "error-500":
            return self.send(500, XML + b"<Error><Code>InternalError</Code><Message>We encountered an internal "
                             b"error.</Message></Error>")
        if SCENARIO in ESCAPING or SCENARIO == "object-short":
            keys = ESCAPING.get(SCENARIO, ["clawdbot/clawdbot.json", ".last-sync"])
            return self.send(200, listing(keys))
        self.send(400, b"unknown scenario")

    do_POST = do_PUT
    do_DELETE = do_HEAD


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
sys.stdin.read()  # the test closes stdin (or exits) to stop us
