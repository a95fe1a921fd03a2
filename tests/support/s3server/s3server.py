#!/usr/bin/python3
"""A real S3 server for tests: OpenStack Swift with s3api, on loopback, in a state directory.

    s3server.py start STATE_DIR   start it (free ports, own memcached, rings in STATE_DIR), create the
                                  buckets and scoped users, verify signatures and scoping with signed
                                  S3 requests, then write STATE_DIR/server.json
    s3server.py stop STATE_DIR    stop everything it started there, and nothing else
    s3server.py status STATE_DIR  exit 0 when it answers /healthcheck

Users (tempauth, one account "test"; S3 access key id "test:<user>", secrets random per start):
  admin   every bucket (.admin; it creates them)
  dev     moltbot-data-development only         prod    moltbot-data-production only
  legacy  moltbot-data only                     leaky   development AND production (audit failures)
  other   moltdesk-test-other only (storage tests: access denied elsewhere)
Scoping is Swift container ACLs (X-Container-Read/-Write) on each bucket and on its "<bucket>+segments"
container, where s3api keeps multipart parts. Only the standard library, botocore for the check, and
the system's Swift; every socket is on 127.0.0.1.
"""
import hashlib
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

BUCKETS = ["moltbot-data", "moltbot-data-development", "moltbot-data-production",
           "moltdesk-test", "moltdesk-test-other", "moltdesk-bench", "moltdesk-bench-copy",
           "moltbot-data-staging"]
SCOPES = {
    "dev": ["moltbot-data-development"],
    "prod": ["moltbot-data-production"],
    "legacy": ["moltbot-data"],
    "leaky": ["moltbot-data-development", "moltbot-data-production"],
    "other": ["moltdesk-test-other"],
}
ACCOUNT = "test"
PY = "/usr/bin/python3"
# Swift drops root privileges to "user": keep this user, so the secrets-bearing proxy config can be 0600.
RUN_AS = pwd.getpwuid(os.geteuid()).pw_name
START_ATTEMPTS = 3  # free ports are picked, then released: another process may take one meanwhile


class StartError(Exception):
    pass


def log(msg):
    print(f"s3server: {msg}", flush=True)


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


def write(path, text, mode=0o644):
    tmp = path + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def http(method, url, headers=None, body=None, timeout=10):
    assert url.startswith("http://127.0.0.1:"), url  # never anything but loopback
    req = urllib.request.Request(url, method=method, headers=headers or {}, data=body)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def server_conf(state, devices, port, kind):
    return f"""[DEFAULT]
bind_ip = 127.0.0.1
bind_port = {port}
user = {RUN_AS}
devices = {devices}
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
        f"user_{ACCOUNT}_{name} = {secret}{' .admin' if name == 'admin' else ''}" for name, secret in users.items())
    return f"""[DEFAULT]
bind_ip = 127.0.0.1
bind_port = {port}
user = {RUN_AS}
swift_dir = {state}/etc
workers = 0
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
# R2's region name: clients must sign for region "auto"
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


def has_user_xattrs(path):
    try:
        fd, probe = tempfile.mkstemp(prefix=".xattr-probe-", dir=path)
    except OSError:
        return False
    try:
        os.setxattr(probe, "user.swift.probe", b"1")
        return os.getxattr(probe, "user.swift.probe") == b"1"
    except OSError:
        return False
    finally:
        os.close(fd)
        os.unlink(probe)


def data_dir(state):
    """The devices directory: in the state dir when its filesystem has user xattrs (ext4, tmpfs),
    else a fresh directory on tmpfs (/dev/shm), removed again by stop."""
    devices = os.path.join(state, "devices")
    os.makedirs(os.path.join(devices, "d1"))
    if has_user_xattrs(os.path.join(devices, "d1")):
        return devices, False
    for base in ("/dev/shm", "/tmp"):
        if os.path.isdir(base) and os.access(base, os.W_OK) and has_user_xattrs(base):
            devices = tempfile.mkdtemp(prefix="moltdesk-s3server-", dir=base)
            os.makedirs(os.path.join(devices, "d1"))
            return devices, True
    raise StartError(f"no filesystem with user extended attributes for Swift's data ({state}, /dev/shm, /tmp)")


RING_SCRIPT = """
import json, os, sys
from swift.common.ring import RingBuilder
etc, ports = sys.argv[1], json.loads(sys.argv[2])
for kind, port in ports.items():
    b = RingBuilder(6, 1, 1)  # 2^6 partitions, one replica, min_part_hours 1
    b.add_dev({"region": 1, "zone": 1, "ip": "127.0.0.1", "port": port, "device": "d1", "weight": 1})
    b.rebalance()
    b.save(os.path.join(etc, kind + ".builder"))
    b.get_ring().save(os.path.join(etc, kind + ".ring.gz"))
"""


def build_rings(etc, ports):
    """What `swift-ring-builder NAME.builder create 6 1 1; add r1z1-127.0.0.1:PORT/d1 1; rebalance` does,
    with Swift's own RingBuilder in one process (the CLI takes 1.5 s per ring)."""
    r = subprocess.run([PY, "-c", RING_SCRIPT, etc, json.dumps(ports)], capture_output=True, text=True)
    if r.returncode != 0:
        raise StartError(f"building the rings failed: {r.stdout}{r.stderr}")
    for kind in ports:
        if not os.path.exists(os.path.join(etc, f"{kind}.ring.gz")):
            raise StartError(f"no {kind}.ring.gz after building the rings")


def log_tail(state):
    try:
        with open(os.path.join(state, "log", "servers.log"), "rb") as f:
            return f.read()[-3000:].decode(errors="replace")
    except OSError:
        return ""


def launch(state, info_base):
    """One attempt: configs for fresh free ports, the five processes, until /healthcheck answers."""
    etc = os.path.join(state, "etc")
    proxy_port, acc_port, cont_port, obj_port, mc_port = free_ports(5)
    for name in os.listdir(etc):
        if name != "swift.conf":
            path = os.path.join(etc, name)
            shutil.rmtree(path) if os.path.isdir(path) else os.unlink(path)
    build_rings(etc, {"account": acc_port, "container": cont_port, "object": obj_port})
    for kind, port in (("account", acc_port), ("container", cont_port), ("object", obj_port)):
        write(os.path.join(etc, f"{kind}-server.conf"), server_conf(state, info_base["dataDir"], port, kind))
    users = info_base["secrets"]
    write(os.path.join(etc, "proxy-server.conf"), proxy_conf(state, proxy_port, mc_port, users), 0o600)

    procs = []
    logf = open(os.path.join(state, "log", "servers.log"), "ab")
    endpoint = f"http://127.0.0.1:{proxy_port}"
    info = {"endpoint": endpoint, "region": "auto", "pids": [], "stateDir": state,
            "dataDir": info_base["dataDir"], "dataDirOwned": info_base["dataDirOwned"],
            "ports": {"proxy": proxy_port, "account": acc_port, "container": cont_port, "object": obj_port,
                      "memcached": mc_port}}

    def spawn(cmd):
        # Its own session: stop signals the whole group (the proxy forks a worker).
        p = subprocess.Popen(cmd, stdout=logf, stderr=logf, stdin=subprocess.DEVNULL, start_new_session=True)
        procs.append(p)
        info["pids"].append(p.pid)
        # Written after every spawn, so stop finds whatever was started even if this attempt fails.
        write(os.path.join(state, "pids.json"), json.dumps(info))

    spawn(["memcached", "-l", "127.0.0.1", "-p", str(mc_port), "-U", "0", "-m", "64"]
          + (["-u", "root"] if os.geteuid() == 0 else []))
    for kind in ("account", "container", "object"):
        spawn([PY, f"/usr/bin/swift-{kind}-server", os.path.join(etc, f"{kind}-server.conf")])
    spawn([PY, "/usr/bin/swift-proxy-server", os.path.join(etc, "proxy-server.conf")])

    deadline = time.time() + 60
    while True:
        dead = [p.args[1] if p.args[0] == PY else p.args[0] for p in procs if p.poll() is not None]
        if dead:
            raise StartError(f"{', '.join(dead)} exited at start (a port taken meanwhile?)\n{log_tail(state)}")
        # The proxy's /healthcheck answers before the account, container and object servers listen.
        if all(listening(info["ports"][k]) for k in ("account", "container", "object", "memcached")):
            try:
                if http("GET", endpoint + "/healthcheck", timeout=2)[0] == 200:
                    return info
            except OSError:
                pass
        if time.time() > deadline:
            raise StartError(f"Swift did not answer on {endpoint}/healthcheck within 60 s\n{log_tail(state)}")
        time.sleep(0.1)


def listening(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def make_buckets(info, users):
    """Buckets and per-bucket scoping, through Swift's own API with the admin's token."""
    endpoint = info["endpoint"]
    deadline = time.time() + 30
    while True:
        status, headers, _ = http("GET", endpoint + "/auth/v1.0",
                                  {"X-Auth-User": f"{ACCOUNT}:admin", "X-Auth-Key": users["admin"]})
        if status == 200 or time.time() > deadline:
            break
        time.sleep(0.2)
    if status != 200:
        raise StartError(f"tempauth refused the admin user ({status})")
    token, storage = headers["X-Auth-Token"], headers["X-Storage-Url"]
    grants = {b: [] for b in BUCKETS}
    for user, buckets in SCOPES.items():
        for b in buckets:
            grants[b].append(f"{ACCOUNT}:{user}")
    for b in BUCKETS:
        acl = ",".join(grants[b])
        # s3api keeps multipart parts in "<bucket>+segments": it needs the same ACLs.
        for container in (b, b + "+segments"):
            h = {"X-Auth-Token": token}
            if acl:
                h.update({"X-Container-Read": acl, "X-Container-Write": acl})
            # A loaded machine may still answer 503 for a moment while the backends warm up.
            deadline = time.time() + 60
            while True:
                s, _, body = http("PUT", f"{storage}/{container}", h)
                if s in (201, 202) or s < 500 or time.time() > deadline:
                    break
                time.sleep(0.3)
            if s not in (201, 202):
                raise StartError(f"cannot create {container}: {s} {body[:200]!r}\n{log_tail(info['stateDir'])}")


def signed(info, user, method, path, body=b"", secret=None, query=""):
    import botocore.auth
    import botocore.awsrequest
    import botocore.credentials
    u = info["users"][user]
    creds = botocore.credentials.Credentials(u["accessKeyId"], secret or u["secret"])
    url = f"{info['endpoint']}{path}" + (f"?{query}" if query else "")
    req = botocore.awsrequest.AWSRequest(method=method, url=url, data=body)
    botocore.auth.S3SigV4Auth(creds, "s3", info["region"]).add_auth(req)
    return http(method, url, dict(req.headers.items()), body or None)


def error_code(body):
    import re
    m = re.search(rb"<Code>([^<]*)</Code>", body)
    return m.group(1).decode() if m else ""


def verify(info):
    """Signed S3 requests per user, so a broken server or scoping fails the start, not a test later."""
    try:
        import botocore.auth  # noqa: F401
    except ImportError:
        raise StartError("python3-botocore is missing (scripts/install-deps.sh installs it): cannot verify")
    problems = []

    def expect(what, got, want, body=b"", code=None):
        if got != want or (code and error_code(body) != code):
            problems.append(f"{what}: {got} {error_code(body)}, expected {want} {code or ''}".rstrip())

    # Every scoped user against every bucket: its own answer 200, all others 403.
    for user, buckets in SCOPES.items():
        for b in BUCKETS:
            expect(f"HEAD /{b} as {user}", signed(info, user, "HEAD", f"/{b}")[0], 200 if b in buckets else 403)
    # What tests rely on, with the S3 error codes: listing, writing, multipart (the +segments ACLs).
    s, _, body = signed(info, "dev", "GET", "/moltbot-data-production", query="list-type=2")
    expect("dev lists production", s, 403, body, "AccessDenied")
    s, _, body = signed(info, "dev", "PUT", "/moltbot-data-production/.s3server-probe", b"x")
    expect("dev writes production", s, 403, body, "AccessDenied")
    s, _, body = signed(info, "admin", "HEAD", "/moltbot-data", secret="wrong" * 8)
    expect("a wrong secret (HEAD)", s, 403)
    s, _, body = signed(info, "admin", "GET", "/moltbot-data", secret="wrong" * 8, query="list-type=2")
    expect("a wrong secret", s, 403, body, "SignatureDoesNotMatch")
    for user, buckets in SCOPES.items():
        b = buckets[0]
        key = f"/{b}/.s3server-probe-{user}"
        expect(f"{user} PUT {b}", signed(info, user, "PUT", key, b"probe")[0], 200)
        s, _, body = signed(info, user, "GET", key)
        expect(f"{user} GET {b}", s, 200)
        if s == 200 and body != b"probe":
            problems.append(f"{user} GET {b}: wrong content {body[:20]!r}")
        expect(f"{user} DELETE {b}", signed(info, user, "DELETE", key)[0], 204)
    # One multipart upload by a scoped user: needs the ACLs on "<bucket>+segments" too.
    mp = "/moltbot-data-development/.s3server-mp-probe"
    s, _, body = signed(info, "dev", "POST", mp, query="uploads=")
    expect("dev initiates a multipart upload", s, 200)
    if s == 200:
        import re
        upload_id = re.search(rb"<UploadId>([^<]*)</UploadId>", body).group(1).decode()
        s, h, _ = signed(info, "dev", "PUT", mp, b"part one", query=f"partNumber=1&uploadId={upload_id}")
        expect("dev uploads a part", s, 200)
        etag = h.get("ETag", h.get("Etag", ""))
        done = (f"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>{etag}</ETag></Part>"
                f"</CompleteMultipartUpload>").encode()
        s, _, body = signed(info, "dev", "POST", mp, done, query=f"uploadId={upload_id}")
        expect("dev completes a multipart upload", s, 200, body)
        if b"<Error>" in body:
            problems.append(f"complete multipart: {body[:200]!r}")
        s, _, body = signed(info, "dev", "GET", mp)
        if s != 200 or body != b"part one":
            problems.append(f"multipart object reads back {s} {body[:20]!r}")
        expect("dev deletes the multipart object", signed(info, "dev", "DELETE", mp)[0], 204)
    if problems:
        raise StartError("the server does not behave as the tests need: " + "; ".join(problems))
    return "signatures and per-bucket scoping verified"


def start(state):
    t0 = time.time()
    stop(state, quiet=True)
    shutil.rmtree(state, ignore_errors=True)
    for d in ("etc", "log"):
        os.makedirs(os.path.join(state, d))
    write(os.path.join(state, "etc", "swift.conf"),
          f"[swift-hash]\nswift_hash_path_prefix = {secrets.token_hex(8)}\n"
          f"swift_hash_path_suffix = {secrets.token_hex(8)}\n\n[storage-policy:0]\nname = Policy-0\ndefault = yes\n")
    devices, owned = data_dir(state)
    users = {name: secrets.token_hex(20) for name in ["admin"] + list(SCOPES)}
    base = {"dataDir": devices, "dataDirOwned": owned, "secrets": users}
    for attempt in range(1, START_ATTEMPTS + 1):
        try:
            info = launch(state, base)
            break
        except StartError as e:
            stop(state, quiet=True, keep_data=True)
            if attempt == START_ATTEMPTS:
                raise
            log(f"attempt {attempt} failed, retrying with other ports: {str(e).splitlines()[0]}")
    t_up = time.time() - t0
    info["users"] = {n: {"accessKeyId": f"{ACCOUNT}:{n}", "secret": s} for n, s in users.items()}
    info["scopes"] = SCOPES
    info["buckets"] = BUCKETS
    try:
        make_buckets(info, users)
        t_buckets = time.time() - t0
        info["verified"] = verify(info)
    except StartError:
        stop(state, quiet=True)
        raise
    info["startSeconds"] = round(time.time() - t0, 2)
    # Secrets inside: readable by this user only. Written last: its presence means "ready".
    write(os.path.join(state, "server.json"), json.dumps(info, indent=2) + "\n", 0o600)
    os.unlink(os.path.join(state, "pids.json"))
    log(f"Swift s3api on {info['endpoint']} (region auto), data in {devices}, "
        f"ready in {info['startSeconds']} s (healthy {t_up:.1f}, buckets {t_buckets:.1f}); {state}/server.json")


def ours(pid, state, info):
    """True when pid is a process this state dir started: never signal a recycled pid."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return False
    mc = info.get("ports", {}).get("memcached")
    return (os.path.join(state, "etc") in cmd) or (mc is not None and cmd.startswith("memcached")
                                                     and f"-p {mc} " in cmd + " ")


def stop(state, quiet=False, keep_data=False):
    found = False
    for name in ("server.json", "pids.json"):
        path = os.path.join(state, name)
        try:
            with open(path) as f:
                info = json.load(f)
        except (OSError, ValueError):
            continue
        found = True
        groups = [pid for pid in info.get("pids", []) if ours(pid, state, info)]
        for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 2.0)):
            for pid in groups:
                try:
                    os.killpg(pid, sig)
                except (ProcessLookupError, PermissionError):
                    pass
            deadline = time.time() + wait
            while time.time() < deadline:
                groups = [pid for pid in groups if ours(pid, state, info) and not zombie(pid)]
                if not groups:
                    break
                time.sleep(0.05)
            if not groups:
                break
        if info.get("dataDirOwned") and not keep_data:
            shutil.rmtree(info["dataDir"], ignore_errors=True)
        os.unlink(path)
    if not quiet:
        log(f"stopped ({state})" if found else f"nothing running in {state}")


def zombie(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def status(state):
    try:
        with open(os.path.join(state, "server.json")) as f:
            info = json.load(f)
        return http("GET", info["endpoint"] + "/healthcheck", timeout=3)[0] == 200
    except (OSError, ValueError, KeyError):
        return False


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("start", "stop", "status"):
        sys.exit(__doc__)
    state_dir = os.path.abspath(sys.argv[2])
    try:
        if sys.argv[1] == "start":
            start(state_dir)
        elif sys.argv[1] == "stop":
            stop(state_dir)
        else:
            sys.exit(0 if status(state_dir) else 1)
    except StartError as e:
        sys.exit(f"s3server: {e}")
