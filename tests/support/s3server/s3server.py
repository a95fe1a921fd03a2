#!/usr/bin/python3
"""A real S3 server for tests: OpenStack Swift with s3api, on loopback, in a state directory.

    s3server.py start STATE_DIR   start it (free ports, own memcached), create buckets and scoped
                                  users, verify signatures and scoping, write STATE_DIR/server.json
    s3server.py stop STATE_DIR    stop everything it started, and nothing else

Users (tempauth, account "test"; S3 access key id "test:<user>", random secrets per run):
  admin   all buckets (creates them)
  dev     moltbot-data-development only      prod    moltbot-data-production only
  legacy  moltbot-data only                  leaky   development AND production (audit failures)
  other   moltdesk-test-other only (storage tests: access denied elsewhere)
Only the standard library and the system's Swift; never a non-loopback address.
"""
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

BUCKETS = ["moltbot-data", "moltbot-data-development", "moltbot-data-production",
           "moltdesk-test", "moltdesk-test-other", "moltdesk-bench", "moltdesk-bench-legacy",
           "moltbot-data-staging"]
SCOPES = {
    "dev": ["moltbot-data-development"],
    "prod": ["moltbot-data-production"],
    "legacy": ["moltbot-data"],
    "leaky": ["moltbot-data-development", "moltbot-data-production"],
    "other": ["moltdesk-test-other"],
}
PY = "/usr/bin/python3"


def free_ports(n):
    socks, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    return ports


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def http(method, url, headers=None, timeout=5):
    req = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def server_conf(state, port, kind):
    return f"""[DEFAULT]
bind_ip = 127.0.0.1
bind_port = {port}
devices = {state}/devices
mount_check = false
swift_dir = {state}/etc
workers = 0
log_level = WARNING
log_address = /nonexistent

[pipeline:main]
pipeline = {kind}-server

[app:{kind}-server]
use = egg:swift#{kind}

[{kind}-replicator]
[{kind}-updater]
[{kind}-auditor]
"""


def proxy_conf(state, port, mc_port, users):
    user_lines = "\n".join(
        f"user_test_{name} = {secret}{' .admin' if name == 'admin' else ''}" for name, secret in users.items())
    return f"""[DEFAULT]
bind_ip = 127.0.0.1
bind_port = {port}
swift_dir = {state}/etc
workers = 1
log_level = WARNING
log_address = /nonexistent

[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats s3api tempauth copy slo dlo proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
allow_account_management = true

[filter:s3api]
use = egg:swift#s3api
location = auto
max_upload_part_num = 10000

[filter:tempauth]
use = egg:swift#tempauth
{user_lines}

[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:{mc_port}

[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:copy]
use = egg:swift#copy
[filter:slo]
use = egg:swift#slo
[filter:dlo]
use = egg:swift#dlo
"""


def check_xattrs(path):
    probe = os.path.join(path, ".xattr-probe")
    open(probe, "w").close()
    try:
        os.setxattr(probe, "user.swift.probe", b"1")
        return True
    except OSError:
        return False
    finally:
        os.unlink(probe)


def start(state):
    if os.path.exists(os.path.join(state, "server.json")):
        stop(state)
    shutil.rmtree(state, ignore_errors=True)
    for d in ("etc", "devices/d1", "log"):
        os.makedirs(os.path.join(state, d), exist_ok=True)
    if not check_xattrs(os.path.join(state, "devices/d1")):
        sys.exit(f"s3server: {state} has no user extended attributes; Swift needs them (use ext4 or tmpfs)")
    proxy_port, acc_port, cont_port, obj_port, mc_port = free_ports(5)
    etc = os.path.join(state, "etc")
    write(os.path.join(etc, "swift.conf"), "[swift-hash]\nswift_hash_path_prefix = moltdesk\n"
          "swift_hash_path_suffix = tests\n\n[storage-policy:0]\nname = Policy-0\ndefault = yes\n")
    for kind, port in (("account", acc_port), ("container", cont_port), ("object", obj_port)):
        builder = os.path.join(etc, f"{kind}.builder")
        for args in (["create", "6", "1", "1"], ["add", f"r1z1-127.0.0.1:{port}/d1", "1"], ["rebalance"]):
            r = subprocess.run(["swift-ring-builder", builder] + args, capture_output=True, text=True)
            if r.returncode not in (0, 1):  # rebalance exits 1 with a warning on a one-device ring
                sys.exit(f"s3server: swift-ring-builder {' '.join(args)} failed: {r.stdout}{r.stderr}")
        write(os.path.join(etc, f"{kind}-server.conf"), server_conf(state, port, kind))
    users = {name: secrets.token_hex(16) for name in ["admin"] + list(SCOPES)}
    write(os.path.join(etc, "proxy-server.conf"), proxy_conf(state, proxy_port, mc_port, users))

    pids = []
    log = open(os.path.join(state, "log", "servers.log"), "ab")
    def spawn(cmd):
        p = subprocess.Popen(cmd, stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True)
        pids.append(p.pid)
        return p
    user = ["-u", "root"] if os.geteuid() == 0 else []
    spawn(["memcached", "-l", "127.0.0.1", "-p", str(mc_port), "-U", "0", "-m", "64"] + user)
    for kind in ("account", "container", "object"):
        spawn([PY, f"/usr/bin/swift-{kind}-server", os.path.join(etc, f"{kind}-server.conf")])
    spawn([PY, "/usr/bin/swift-proxy-server", os.path.join(etc, "proxy-server.conf")])
    endpoint = f"http://127.0.0.1:{proxy_port}"
    info = {"endpoint": endpoint, "region": "auto", "pids": pids,
            "users": {n: {"accessKeyId": f"test:{n}", "secret": s} for n, s in users.items()},
            "scopes": SCOPES, "buckets": BUCKETS}
    write(os.path.join(state, "server.json.partial"), json.dumps(info))  # so stop works if we fail below
    os.replace(os.path.join(state, "server.json.partial"), os.path.join(state, "pids.json"))

    deadline = time.time() + 60
    while True:
        try:
            if http("GET", endpoint + "/healthcheck")[0] == 200:
                break
        except OSError:
            pass
        if time.time() > deadline:
            tail = open(os.path.join(state, "log", "servers.log"), "rb").read()[-3000:].decode(errors="replace")
            stop(state)
            sys.exit(f"s3server: Swift did not answer on {endpoint} within 60 s\n{tail}")
        time.sleep(0.2)

    # Buckets and per-bucket scoping, through Swift's own API with the admin's token.
    deadline = time.time() + 30
    while True:
        status, headers, _ = http("GET", endpoint + "/auth/v1.0",
                                  {"X-Auth-User": "test:admin", "X-Auth-Key": users["admin"]})
        if status == 200 or time.time() > deadline:
            break
        time.sleep(0.3)
    if status != 200:
        stop(state)
        sys.exit(f"s3server: tempauth refused the admin user ({status})")
    token, storage = headers["X-Auth-Token"], headers["X-Storage-Url"]
    readers = {b: [] for b in BUCKETS}
    for user, buckets in SCOPES.items():
        for b in buckets:
            readers[b].append(f"test:{user}")
    for b in BUCKETS:
        acl = ",".join(readers[b])
        # s3api keeps multipart parts in "<bucket>+segments": it needs the same ACLs.
        for container in (b, b + "+segments"):
            h = {"X-Auth-Token": token}
            if acl:
                h.update({"X-Container-Read": acl, "X-Container-Write": acl})
            s, _, body = http("PUT", f"{storage}/{container}", h)
            if s not in (201, 202):
                stop(state)
                sys.exit(f"s3server: cannot create {container}: {s} {body[:200]!r}")
    info["verified"] = verify(info)
    write(os.path.join(state, "server.json"), json.dumps(info, indent=2))
    print(f"s3server: Swift s3api on {endpoint}, state in {state}")


def verify(info):
    """Signed S3 requests per user: the server checks signatures and scoping really holds."""
    try:
        import botocore.auth, botocore.awsrequest, botocore.credentials
    except ImportError:
        return "not verified: python3-botocore missing"
    def head(user, bucket, secret=None):
        u = info["users"][user]
        creds = botocore.credentials.Credentials(u["accessKeyId"], secret or u["secret"])
        req = botocore.awsrequest.AWSRequest(method="HEAD", url=f"{info['endpoint']}/{bucket}")
        botocore.auth.S3SigV4Auth(creds, "s3", "auto").add_auth(req)
        return http("HEAD", req.url, dict(req.headers.items()))[0]
    problems = []
    for user, buckets in SCOPES.items():
        for b in BUCKETS:
            got = head(user, b)
            want = 200 if b in buckets else 403
            if got != want:
                problems.append(f"{user} on {b}: {got}, expected {want}")
    if head("admin", "moltbot-data", secret="wrong" * 8) != 403:
        problems.append("a wrong secret was accepted")
    if problems:
        raise SystemExit("s3server: scoping check failed: " + "; ".join(problems))
    return "signatures and per-bucket scoping verified"


def stop(state):
    for name in ("server.json", "pids.json"):
        path = os.path.join(state, name)
        if not os.path.exists(path):
            continue
        for pid in json.load(open(path)).get("pids", []):
            try:
                os.killpg(pid, signal.SIGTERM)
            except (ProcessLookupError, PermissionError):
                pass
        time.sleep(0.5)
        for pid in json.load(open(path)).get("pids", []):
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        os.unlink(path)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("start", "stop"):
        sys.exit(__doc__)
    state = os.path.abspath(sys.argv[2])
    start(state) if sys.argv[1] == "start" else stop(state)
