#!/usr/bin/python3
"""The project's stand-in for a deployed Moltbot worker (the seed's fork of moltworker), on loopback.

    standin_worker.py start STATE_DIR   needs STATE_DIR/server.json (the s3server fixture); starts one
                                        worker per environment (development, production, legacy), each on
                                        its own free port, and writes STATE_DIR/worker.json (mode 0600)
    standin_worker.py stop STATE_DIR    stops the one it started there, and nothing else
    standin_worker.py serve STATE_DIR   (internal: the server process itself)

Each worker answers the public contract of the worker's API (GET /api/status, GET /api/admin/storage,
POST /api/admin/storage/sync, POST /api/admin/gateway/restart, GET /api/admin/devices, GET /debug/env
when debugRoutes is on), behind an emulated Cloudflare Access that checks the environment's service
token (CF-Access-Client-Id / CF-Access-Client-Secret). Behind each worker is an emulated container: a
directory is its filesystem root (root/.clawdbot, root/.openclaw, root/clawd, tmp/, data/), and its
backup and restore run the seed's documented commands for real:

  rsync era (the seed's fork): rsync -r --no-times --delete /root/.clawdbot/ MOUNT/clawdbot/, the same for
      /root/clawd/skills/ -> MOUNT/skills/, then `date -Iseconds > MOUNT/.last-sync`. MOUNT is a real s3fs
      FUSE mount of the bucket (with the container's R2 token), made for each operation and unmounted after
      it, when this machine has s3fs and /dev/fuse (configuration "mount": "s3fs", the default then).
      Without them ("mount": "emulated") it is a local directory filled from the bucket first and written
      back with rclone afterwards: NOT s3fs (no folder objects, unchanged bytes not rewritten).
      Every mount below a container is unmounted before its directory is ever removed.
      /api/admin/storage reads MOUNT/.last-sync, i.e. the bucket's .last-sync.
      Restart restores with start-moltbot.sh's rule: BACKUP_DIR/clawdbot/clawdbot.json present and the
      backup's .last-sync newer than the local one (or none local) -> cp -a into /root/.clawdbot, and
      BACKUP_DIR/skills -> /root/clawd/skills.
  rclone era (upstream): rclone sync /root/.openclaw/ r2:BUCKET/openclaw/, /root/clawd/ -> workspace/
      (excluding skills/**), /root/clawd/skills/ -> skills/, all with --transfers=16 --fast-list
      --s3-no-check-bucket and the excludes *.lock *.log *.tmp .git/**, then date -Iseconds > /tmp/.last-sync.
      /api/admin/storage reads /tmp/.last-sync. Restart: rclone copy of the three prefixes back.

A restart is a fresh container (as after a redeploy, the seed's own persistence procedure): its
filesystem is emptied, then the start script's restore runs, then the gateway runs again.

Control, on its own port (GET/POST http://127.0.0.1:PORT/__worker__/...), JSON in and out:
  POST config {"env": E, ...keys below...}   merge into E's configuration (unknown keys: 400)
  POST reset  {"env": E} (or {} for all)     default configuration, empty container, counters zero
  POST seed   {"env": E}                     a small container tree for the era, with one paired and one
                                             pending device
  GET  state?env=E                           configuration, gateway, counters, requests seen
  GET  trap                                  where a test points a login redirect: counts hits (a client that
                                             follows a redirect with the token shows up here)
  POST wipe   {"bucket": B}                  empty a moltbot-data* bucket (server's admin user), for test set-up
  POST put    {"bucket": B, "key": K, "body": S}   write one object there, e.g. an old .last-sync
Configuration keys: era "rsync"|"rclone"; fault "none"|"login-redirect"|"forbidden"|"no-jwt"|
  "access-not-configured"|"html"|"slow"|"cutoff"|"oversize"|"server-error"|"not-deployed";
  faultMatch (a substring of the request path; empty: every route); slowSeconds; loginLocation;
  accessRejects "redirect"|"forbidden" (how a wrong or missing token is refused); r2Configured;
  debugRoutes; gateway "running"|"not_running"|"not_responding"|"error"; bootSeconds;
  writeBucket (mis-wired: the bucket its backup writes to); restoreBucket (mis-wired: the bucket its
  restore reads from; not the mounted one in the rsync era -> "starting fresh"); mount "s3fs"|"emulated".
Stdlib only; every socket on 127.0.0.1.
"""
import contextlib
import datetime
import hashlib
import http.server
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from daemonstate import stop_recorded  # noqa: E402
import urllib.parse

ENVIRONMENTS = {"development": "dev", "production": "prod", "legacy": "legacy"}  # env -> s3server user
TEAM = "moltdesk-test"
EXCLUDES = ["*.lock", "*.log", "*.tmp", ".git/**"]
RCLONE_FLAGS = ["--transfers=16", "--fast-list", "--s3-no-check-bucket"]
FAULTS = {"none", "login-redirect", "forbidden", "no-jwt", "access-not-configured", "html", "slow", "cutoff",
          "oversize", "server-error", "not-deployed"}
OVERSIZE_BYTES = 64 * 1024 * 1024
# The rsync era's mount: a real s3fs FUSE mount when this machine can make one, else the emulation.
S3FS_AVAILABLE = bool(shutil.which("s3fs")) and os.path.exists("/dev/fuse")


def bucket_of(env):
    return "moltbot-data" if env == "legacy" else f"moltbot-data-{env}"


def mount_of(env):
    return "/data/moltbot" if env == "legacy" else f"/data/moltbot-{env}"


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).astimezone().isoformat(timespec="seconds")


def default_config():
    return {"era": "rsync", "fault": "none", "faultMatch": "", "slowSeconds": 5.0,
            "loginLocation": f"https://{TEAM}.cloudflareaccess.com/cdn-cgi/access/login/worker?kid=1&redirect_url=%2F",
            "accessRejects": "redirect", "r2Configured": True, "debugRoutes": False, "gateway": "running",
            "bootSeconds": 1.0, "writeBucket": None, "restoreBucket": None,
            "mount": "s3fs" if S3FS_AVAILABLE else "emulated"}


class Container:
    """One environment's emulated container: its filesystem, its gateway and its R2 wiring."""

    def __init__(self, env, state, server):
        self.env = env
        self.home = os.path.join(state, "containers", env)
        self.server = server  # s3server's server.json
        self.lock = threading.RLock()
        self.reset()

    def reset(self):
        with self.lock:
            unmount_under(self.home)  # never let rmtree walk into a mounted bucket
            self.config = default_config()
            self.requests = []
            self.counters = {"syncs": 0, "restarts": 0, "restores": 0}
            self.process_id = secrets.token_hex(6)
            self.booting_until = 0.0
            shutil.rmtree(self.home, ignore_errors=True)
            for d in ("root", "tmp", "data"):
                os.makedirs(os.path.join(self.home, d), exist_ok=True)
            self.log_lines = []

    # --- paths inside the container ---
    def path(self, p):
        return os.path.join(self.home, p.lstrip("/"))

    def config_dir(self):
        return self.path("/root/.openclaw" if self.config["era"] == "rclone" else "/root/.clawdbot")

    def echo(self, line):
        self.log_lines.append(line)
        with open(os.path.join(self.home, "container.log"), "a") as f:
            f.write(line + "\n")

    def seed(self):
        with self.lock:
            cfg = self.config_dir()
            name = "openclaw.json" if self.config["era"] == "rclone" else "clawdbot.json"
            os.makedirs(os.path.join(cfg, "devices"), exist_ok=True)
            with open(os.path.join(cfg, name), "w") as f:
                json.dump({"gateway": {"port": 18789}, "environment": self.env}, f)
            with open(os.path.join(cfg, "devices", "paired.json"), "w") as f:
                json.dump({"dev-" + self.env: {"deviceId": "dev-" + self.env, "displayName": f"{self.env} phone",
                                               "pairedAt": now_iso()}}, f)
            with open(os.path.join(cfg, "devices", "pending.json"), "w") as f:
                json.dump({"req-1": {"requestId": "req-1", "deviceId": "tablet", "displayName": "tablet"}}, f)
            with open(os.path.join(cfg, "gateway.lock"), "w") as f:
                f.write("locked\n")  # excluded from every backup
            skills = self.path("/root/clawd/skills/hello")
            os.makedirs(skills, exist_ok=True)
            with open(os.path.join(skills, "SKILL.md"), "w") as f:
                f.write(f"# hello from {self.env}\n")
            with open(self.path("/root/clawd/notes.md"), "w") as f:
                f.write(f"workspace notes of {self.env}\n")

    # --- R2 wiring ---
    def write_bucket(self):
        return self.config["writeBucket"] or bucket_of(self.env)

    def restore_bucket(self):
        return self.config["restoreBucket"] or self.write_bucket()

    def user_for(self, bucket):
        """The R2 token the container holds: its own scoped one, or (mis-wired) one that reaches the bucket."""
        own = ENVIRONMENTS[self.env]
        scopes = self.server.get("scopes", {})
        for user in (own, "leaky", "admin"):
            if user == "admin" or bucket in scopes.get(user, []):
                return user
        return "admin"

    def rclone_env(self, bucket):
        user = self.server["users"][self.user_for(bucket)]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "RCLONE_"))}
        env.update({"RCLONE_CONFIG_R2_TYPE": "s3", "RCLONE_CONFIG_R2_PROVIDER": "Other",
                    "RCLONE_CONFIG_R2_ENDPOINT": self.server["endpoint"], "RCLONE_CONFIG_R2_REGION": "auto",
                    "RCLONE_CONFIG_R2_ACCESS_KEY_ID": user["accessKeyId"],
                    "RCLONE_CONFIG_R2_SECRET_ACCESS_KEY": user["secret"],
                    "RCLONE_CONFIG_R2_FORCE_PATH_STYLE": "true", "RCLONE_CONFIG": "/dev/null"})
        return env

    def rclone(self, args, bucket, check=True):
        p = subprocess.run(["rclone"] + args, env=self.rclone_env(bucket), capture_output=True, text=True, timeout=120)
        if check and p.returncode != 0:
            raise RuntimeError(f"rclone {args[0]} exited {p.returncode}: {p.stderr.strip()[-400:]}")
        return p

    @staticmethod
    def excludes(extra=()):
        out = []
        for pattern in EXCLUDES + list(extra):
            out += ["--exclude", pattern]
        return out

    # --- the container's own backup ---
    def sync(self):
        with self.lock:
            if self.config["era"] == "rclone":
                return self.sync_rclone()
            return self.sync_rsync()

    def sync_rclone(self):
        bucket = self.write_bucket()
        root = self.path("/root/clawd")
        os.makedirs(self.config_dir(), exist_ok=True)
        os.makedirs(os.path.join(root, "skills"), exist_ok=True)
        for src, prefix, extra in ((self.config_dir() + "/", "openclaw/", ()), (root + "/", "workspace/", ("skills/**",)),
                                   (os.path.join(root, "skills") + "/", "skills/", ())):
            self.rclone(["sync", src, f"r2:{bucket}/{prefix}"] + RCLONE_FLAGS + self.excludes(extra), bucket)
        stamp = now_iso()
        with open(self.path("/tmp/.last-sync"), "w") as f:
            f.write(stamp + "\n")
        return stamp

    def mount_dir(self, bucket):
        return self.path("/data/" + bucket.replace("moltbot-data", "moltbot", 1))

    @contextlib.contextmanager
    def mounted(self, bucket, write=False):
        """The bucket at its mount path for one operation: s3fs for real, or the emulation (filled from the
        bucket first, and written back with rclone afterwards when `write`)."""
        mount = self.mount_dir(bucket)
        os.makedirs(mount, exist_ok=True)
        if self.config["mount"] != "s3fs":
            self.rclone(["sync", f"r2:{bucket}/", mount + "/", "--s3-no-check-bucket"], bucket)
            yield mount
            if write:
                self.rclone(["sync", mount + "/", f"r2:{bucket}/", "--checksum", "--s3-no-check-bucket"], bucket)
            return
        user = self.server["users"][self.user_for(bucket)]
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS")}
        env.update({"AWSACCESSKEYID": user["accessKeyId"], "AWSSECRETACCESSKEY": user["secret"]})
        p = subprocess.run(["s3fs", bucket, mount, "-o", f"url={self.server['endpoint']},use_path_request_style,"
                            "endpoint=auto,sigv4,dbglevel=err"], env=env, capture_output=True, text=True, timeout=30)
        deadline = time.time() + 10
        while p.returncode == 0 and not os.path.ismount(mount) and time.time() < deadline:
            time.sleep(0.05)
        if p.returncode != 0 or not os.path.ismount(mount):
            raise RuntimeError(f"s3fs could not mount {bucket}: {p.stderr.strip()[-300:]}")
        try:
            yield mount
        finally:
            unmount(mount)

    def sync_rsync(self):
        bucket = self.write_bucket()
        os.makedirs(self.path("/root/clawd/skills"), exist_ok=True)
        os.makedirs(self.config_dir(), exist_ok=True)
        with self.mounted(bucket, write=True) as mount:
            for src, dst in ((self.config_dir() + "/", mount + "/clawdbot/"),
                             (self.path("/root/clawd/skills") + "/", mount + "/skills/")):
                p = subprocess.run(["rsync", "-r", "--no-times", "--delete", src, dst], capture_output=True, text=True)
                if p.returncode != 0:
                    raise RuntimeError(f"rsync exited {p.returncode}: {p.stderr.strip()[-400:]}")
            stamp = now_iso()
            with open(os.path.join(mount, ".last-sync"), "w") as f:
                f.write(stamp + "\n")
        return stamp

    def last_sync(self):
        with self.lock:
            if self.config["era"] == "rclone":
                try:
                    with open(self.path("/tmp/.last-sync")) as f:
                        return f.read().strip() or None
                except OSError:
                    return None
            # `cat ${mountPath}/.last-sync`: through s3fs, that is the bucket's object.
            try:
                with self.mounted(self.write_bucket()) as mount:
                    with open(os.path.join(mount, ".last-sync")) as f:
                        return f.read().strip() or None
            except (OSError, RuntimeError):
                return None

    # --- the start script's restore, on a fresh container ---
    def restart(self):
        with self.lock:
            previous = self.process_id
            self.counters["restarts"] += 1
            self.booting_until = time.time() + float(self.config["bootSeconds"])
            self.process_id = None
        threading.Thread(target=self.boot, daemon=True).start()
        return previous

    def boot(self):
        time.sleep(float(self.config["bootSeconds"]) / 2)
        with self.lock:
            unmount_under(self.home)
            for d in ("root", "tmp", "data"):
                shutil.rmtree(self.path("/" + d), ignore_errors=True)
                os.makedirs(self.path("/" + d), exist_ok=True)
            try:
                self.restore()
            except Exception as e:  # the container starts anyway, as the real script does
                self.echo(f"restore failed: {e}")
        time.sleep(max(0.0, self.booting_until - time.time()))
        with self.lock:
            self.process_id = secrets.token_hex(6)
            self.booting_until = 0.0

    def restore(self):
        bucket = self.restore_bucket()
        if self.config["era"] == "rclone":
            self.echo(f"Restoring from R2 bucket {bucket}")
            p = self.rclone(["lsf", f"r2:{bucket}/openclaw/", "--s3-no-check-bucket"], bucket, check=False)
            if p.returncode != 0 or not p.stdout.strip():
                self.echo("No backup found in R2, starting fresh")
                return
            root = self.path("/root/clawd")
            for prefix, dst in (("openclaw/", self.config_dir()), ("workspace/", root), ("skills/", root + "/skills")):
                os.makedirs(dst, exist_ok=True)
                self.rclone(["copy", f"r2:{bucket}/{prefix}", dst + "/"] + RCLONE_FLAGS, bucket)
            self.counters["restores"] += 1
            return
        # rsync era: BACKUP_DIR is the mount path of the bucket it reads; only the bucket it writes is mounted.
        if bucket != self.write_bucket():
            self.echo(f"Backup directory: {mount_of(self.env) if bucket == bucket_of(self.env) else '/data/moltbot'}")
            self.echo("R2 not mounted, starting fresh")
            return
        with self.mounted(bucket) as mount:
            self.restore_from(mount)

    def restore_from(self, mount):
        self.echo(f"Backup directory: {mount_of(self.env)}")
        if not os.path.isfile(os.path.join(mount, "clawdbot", "clawdbot.json")):
            self.echo("No backup found, starting fresh")
            return
        self.echo(f"Restoring from R2 backup at {mount_of(self.env)}/clawdbot...")
        shutil.copytree(os.path.join(mount, "clawdbot"), self.config_dir(), dirs_exist_ok=True)
        if os.path.isfile(os.path.join(mount, ".last-sync")):
            shutil.copy(os.path.join(mount, ".last-sync"), os.path.join(self.config_dir(), ".last-sync"))
        if os.path.isdir(os.path.join(mount, "skills")):
            shutil.copytree(os.path.join(mount, "skills"), self.path("/root/clawd/skills"), dirs_exist_ok=True)
        self.echo("Restored config from R2 backup")
        self.counters["restores"] += 1

    # --- what the routes report ---
    def gateway(self):
        with self.lock:
            if self.booting_until or self.process_id is None:
                return {"ok": False, "status": "not_running"}
            g = self.config["gateway"]
            if g == "running":
                return {"ok": True, "status": "running", "processId": self.process_id}
            if g == "error":
                return {"ok": False, "status": "error", "error": "gateway exited with code 1"}
            return {"ok": False, "status": g}

    def devices(self):
        out = {}
        for name in ("pending", "paired"):
            try:
                with open(os.path.join(self.config_dir(), "devices", name + ".json")) as f:
                    out[name] = list(json.load(f).values())
            except (OSError, ValueError):
                out[name] = []
        return out


def unmount(path):
    for _ in range(50):
        if not os.path.ismount(path):
            return
        subprocess.run(["fusermount", "-u", path], capture_output=True)
        if os.path.ismount(path):
            time.sleep(0.1)
    raise RuntimeError(f"cannot unmount {path}")


def unmount_under(root):
    """Every FUSE mount below root (s3fs daemons outlive us if we die): unmounted before any rmtree."""
    root = os.path.realpath(root) + "/"
    try:
        with open("/proc/mounts") as f:
            points = [line.split()[1] for line in f]
    except OSError:
        return
    for point in sorted(points, reverse=True):
        point = point.replace("\\040", " ")
        if point.startswith(root):
            unmount(point)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    container = None  # set per server class
    app = None

    def log_message(self, *args):
        pass

    def send_json(self, status, obj, headers=()):
        self.send_body(status, json.dumps(obj).encode(), "application/json", headers)

    def send_body(self, status, body, ctype, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.handle_any()

    def do_POST(self):
        self.handle_any()

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = urllib.parse.urlsplit(self.path).path
        if self.container is None:
            return self.app.control(self, path, body)
        c = self.container
        with c.lock:
            c.requests.append({"method": self.command, "path": path, "hadClientId": "CF-Access-Client-Id" in self.headers,
                               "hadClientSecret": "CF-Access-Client-Secret" in self.headers,
                               "host": self.headers.get("Host", "")})
            cfg = dict(c.config)
        fault = cfg["fault"] if cfg["faultMatch"] in path else "none"
        if fault != "none" and self.fault(fault, cfg):
            return
        if path == "/api/status" and self.command == "GET":
            return self.send_json(200, c.gateway())
        protected = path.startswith("/api/admin/") or path.startswith("/debug/")
        if protected and not self.access(cfg, fault):
            return
        self.route(c, cfg, path)

    def fault(self, fault, cfg):
        """Faults of the network and of Cloudflare's edge; True when the reply was sent."""
        if fault == "slow":
            time.sleep(float(cfg["slowSeconds"]))
            return False
        if fault == "not-deployed":
            self.send_body(404, b"<!DOCTYPE html><html><body>There is nothing here yet</body></html>", "text/html")
            return True
        if fault == "cutoff":
            body = json.dumps({"configured": True, "lastSync": now_iso(), "message": "x" * 200}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)
            return True
        if fault == "oversize":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(OVERSIZE_BYTES + 2))
            self.end_headers()
            try:
                self.wfile.write(b'["')
                chunk = b"x" * 65536
                for _ in range(OVERSIZE_BYTES // len(chunk)):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
            return True
        return False

    def access(self, cfg, fault):
        """Cloudflare Access in front of the admin routes, then the worker's own JWT check."""
        c = self.container
        token = self.app.tokens[c.env]
        good = (self.headers.get("CF-Access-Client-Id") == token["clientId"]
                and self.headers.get("CF-Access-Client-Secret") == token["clientSecret"])
        if fault == "login-redirect" or (not good and cfg["accessRejects"] == "redirect"):
            self.send_body(302, b"", "text/html", [("Location", cfg["loginLocation"])])
            return False
        if fault == "forbidden" or not good:
            self.send_body(403, b"<html><body><h1>Forbidden</h1>You don't have permission to view this "
                                b"application.</body></html>", "text/html")
            return False
        if fault == "access-not-configured":
            self.send_json(500, {"error": "Cloudflare Access not configured",
                                 "hint": "Set CF_ACCESS_TEAM_DOMAIN and CF_ACCESS_AUD secrets"})
            return False
        if fault == "no-jwt":
            self.send_json(401, {"error": "Unauthorized", "hint": "Missing Cf-Access-Jwt-Assertion header"})
            return False
        if fault == "html":
            self.send_body(200, b"<!DOCTYPE html><html><head><title>Moltbot Admin</title></head><body>"
                                b"<div id=root></div></body></html>", "text/html")
            return False
        if fault == "server-error":
            self.send_json(500, {"success": False, "error": "Internal error", "details": "sandbox unavailable"})
            return False
        return True

    def route(self, c, cfg, path):
        if path == "/api/admin/storage" and self.command == "GET":
            if not cfg["r2Configured"]:
                return self.send_json(200, {"configured": False,
                                            "missing": ["R2_ACCESS_KEY_ID", "R2_SECRET_ACCESS_KEY", "CF_ACCOUNT_ID"],
                                            "lastSync": None,
                                            "message": "R2 storage is not configured. Paired devices and "
                                                       "conversations will be lost when the container restarts."})
            last = c.last_sync()
            return self.send_json(200, {"configured": True, "lastSync": last,
                                        "message": "R2 storage is configured. Your data will persist across "
                                                   "container restarts."})
        if path == "/api/admin/storage/sync" and self.command == "POST":
            if not cfg["r2Configured"]:
                return self.send_json(400, {"success": False, "error": "R2 storage is not configured"})
            try:
                stamp = c.sync()
            except Exception as e:
                return self.send_json(500, {"success": False, "error": "Sync failed", "details": str(e)[-400:]})
            with c.lock:
                c.counters["syncs"] += 1
            return self.send_json(200, {"success": True, "message": "Sync completed successfully", "lastSync": stamp})
        if path == "/api/admin/gateway/restart" and self.command == "POST":
            previous = c.restart()
            return self.send_json(200, {"success": True, "message": "Gateway process killed, new instance starting...",
                                        "previousProcessId": previous})
        if path == "/api/admin/devices" and self.command == "GET":
            if not c.gateway()["ok"]:
                return self.send_json(503, {"error": "Gateway is not running"})
            return self.send_json(200, c.devices())
        if path == "/debug/env" and self.command == "GET" and cfg["debugRoutes"]:
            return self.send_json(200, {"has_r2_access_key": cfg["r2Configured"], "has_r2_secret_key": cfg["r2Configured"],
                                        "has_cf_account_id": cfg["r2Configured"], "environment": c.env,
                                        "r2_bucket_name": c.write_bucket()})
        self.send_json(404, {"error": "Not found"})


class App:
    def __init__(self, state):
        self.state = state
        with open(os.path.join(state, "server.json")) as f:
            self.server = json.load(f)
        self.tokens = {env: {"clientId": secrets.token_hex(16) + ".access", "clientSecret": secrets.token_hex(32)}
                       for env in ENVIRONMENTS}
        self.containers = {env: Container(env, state, self.server) for env in ENVIRONMENTS}
        self.trap_hits = 0

    def control(self, h, path, body):
        try:
            req = json.loads(body or b"{}")
        except ValueError:
            return h.send_json(400, {"ok": False, "error": "body is not JSON"})
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(h.path).query))
        if path == "/__worker__/trap":
            self.trap_hits += 1
            return h.send_json(200, {"trapped": True})
        env = req.get("env", query.get("env"))
        if env is not None and env not in self.containers:
            return h.send_json(400, {"ok": False, "error": f"unknown env {env!r}"})
        if path in ("/__worker__/wipe", "/__worker__/put"):
            return self.bucket_control(h, path, req)
        if path == "/__worker__/reset":
            for c in ([self.containers[env]] if env else self.containers.values()):
                c.reset()
            if not env:
                self.trap_hits = 0
            return h.send_json(200, {"ok": True})
        if env is None:
            return h.send_json(400, {"ok": False, "error": "name an env"})
        c = self.containers[env]
        if path == "/__worker__/config":
            changes = {k: v for k, v in req.items() if k != "env"}
            unknown = set(changes) - set(default_config())
            if unknown or changes.get("fault", "none") not in FAULTS:
                return h.send_json(400, {"ok": False, "error": f"bad keys or fault: {sorted(unknown)}"})
            with c.lock:
                c.config.update(changes)
            return h.send_json(200, {"ok": True, "config": c.config})
        if path == "/__worker__/seed":
            c.seed()
            return h.send_json(200, {"ok": True})
        if path == "/__worker__/state":
            with c.lock:
                return h.send_json(200, {"config": c.config, "gateway": c.gateway(), "counters": c.counters,
                                         "requests": c.requests, "trapHits": self.trap_hits, "log": c.log_lines,
                                         "home": c.home})
        h.send_json(404, {"ok": False, "error": "no such control route"})


    def bucket_control(self, h, path, req):
        """Test set-up on the moltbot-data* buckets with the server's admin user (never a container's token)."""
        bucket = req.get("bucket", "")
        if not bucket.startswith("moltbot-data") or bucket not in self.server.get("buckets", []):
            return h.send_json(400, {"ok": False, "error": "only the moltbot-data* buckets"})
        admin = Container.__new__(Container)
        admin.env, admin.server = "admin", self.server
        admin.user_for = lambda b: "admin"
        if path == "/__worker__/wipe":
            admin.rclone(["delete", f"r2:{bucket}", "--s3-no-check-bucket"], bucket)
        else:
            p = subprocess.run(["rclone", "rcat", f"r2:{bucket}/{req['key']}", "--s3-no-check-bucket"],
                               input=req.get("body", "").encode(), env=admin.rclone_env(bucket), capture_output=True)
            if p.returncode != 0:
                return h.send_json(500, {"ok": False, "error": p.stderr.decode()[-400:]})
        return h.send_json(200, {"ok": True})


def serve(state):
    app = App(state)
    servers = {}
    for env, c in app.containers.items():
        handler = type(f"Handler_{env}", (Handler,), {"container": c, "app": app})
        servers[env] = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    control = http.server.ThreadingHTTPServer(("127.0.0.1", 0), type("Control", (Handler,), {"app": app}))
    for s in list(servers.values()) + [control]:
        s.daemon_threads = True
        threading.Thread(target=s.serve_forever, daemon=True).start()
    cport = control.server_address[1]
    info = {"pid": os.getpid(), "control": f"http://127.0.0.1:{cport}/__worker__",
            "trap": f"http://127.0.0.1:{cport}/__worker__/trap", "team": TEAM, "s3": app.server["endpoint"],
            "rsyncMount": "s3fs" if S3FS_AVAILABLE else "emulated",
            "workers": {env: {"url": f"http://127.0.0.1:{s.server_address[1]}", "bucket": bucket_of(env),
                              "home": app.containers[env].home, **app.tokens[env]}
                        for env, s in servers.items()}}
    tmp = os.path.join(state, "worker.json.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(info, f, indent=2)
    os.replace(tmp, os.path.join(state, "worker.json"))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()


def ours(pid, state):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return False
    return "standin_worker.py serve" in cmd and state in cmd


def start(state):
    stop(state, quiet=True)
    if not os.path.exists(os.path.join(state, "server.json")):
        sys.exit(f"standin_worker: no {state}/server.json: the s3server fixture must run first")
    for tool in ("rclone", "rsync"):
        if not shutil.which(tool):
            sys.exit(f"standin_worker: {tool} is not installed (scripts/packages.txt)")
    log = open(os.path.join(state, "worker.log"), "ab")
    p = subprocess.Popen([sys.executable, os.path.abspath(__file__), "serve", state], stdout=log, stderr=log,
                         stdin=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 15
    path = os.path.join(state, "worker.json")
    while not os.path.exists(path):
        if time.time() > deadline or p.poll() is not None:
            sys.exit(f"standin_worker: did not start; see {state}/worker.log")
        time.sleep(0.02)
    with open(path) as f:
        info = json.load(f)
    print("standin_worker: " + ", ".join(f"{e} {w['url']}" for e, w in info["workers"].items()))


def stop(state, quiet=False):
    if not stop_recorded(os.path.join(state, "worker.json"), lambda pid: ours(pid, state)):
        if not quiet:
            print(f"standin_worker: nothing running in {state}")
        return
    unmount_under(os.path.join(state, "containers"))
    shutil.rmtree(os.path.join(state, "containers"), ignore_errors=True)
    if not quiet:
        print(f"standin_worker: stopped ({state})")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("start", "stop", "serve"):
        sys.exit(__doc__)
    state_dir = os.path.abspath(sys.argv[2])
    {"start": start, "stop": stop, "serve": serve}[sys.argv[1]](state_dir)
