#!/usr/bin/python3
"""HTTPS the way operators have it, on loopback, for tests: a TLS terminator (stunnel4) in front of
the test S3 server with certificates of a CA minted here (openssl CLI), and a CONNECT proxy (tinyproxy)
with basic authentication whose log shows every tunnel.

  tlsfront.py start STATE_DIR UPSTREAM_PORT   -> STATE_DIR/tls.json, prints it
  tlsfront.py stop STATE_DIR                  -> stops only the processes it started (pids in tls.json)

tls.json: {"ca": ".../ca.pem", "otherCa": ".../other-ca.pem",
           "endpoints": {"good": "https://127.0.0.1:P", "wrongName": ..., "expired": ..., "otherCa": ...},
           "proxy": {"url": "http://moltdesk:<random>@127.0.0.1:P", "host": "127.0.0.1", "port": P,
                     "user": "moltdesk", "password": "<random>", "log": ".../tinyproxy.log"},
           "pids": [...]}
  good      certificate for 127.0.0.1 / localhost, signed by ca.pem
  wrongName certificate for wrong.example, signed by ca.pem
  expired   certificate for 127.0.0.1, signed by ca.pem, valid only in January 2020
  otherCa   certificate for 127.0.0.1 signed by a CA nobody trusts (other-ca.pem, for reference)
"""
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(*args, cwd):
    subprocess.run(args, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


CA_CONF = """[ca]
default_ca = test
[test]
dir = {dir}
database = {dir}/index.txt
new_certs_dir = {dir}/issued
serial = {dir}/serial
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
[any]
commonName = supplied
"""


def make_ca(d, name):
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key",
        "-out", f"{name}.pem", "-days", "30", "-subj", f"/CN=Moltdesk test {name}",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        cwd=d)
    cadir = os.path.join(d, f"{name}-db")
    os.makedirs(os.path.join(cadir, "issued"), exist_ok=True)
    open(os.path.join(cadir, "index.txt"), "w").close()
    with open(os.path.join(cadir, "serial"), "w") as f:
        f.write(secrets.token_hex(8) + "\n")
    with open(os.path.join(d, f"{name}.cnf"), "w") as f:
        f.write(CA_CONF.format(dir=cadir))


def make_cert(d, ca, name, san, start=None, end=None):
    run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.csr",
        "-subj", f"/CN={san.split(',')[0].split(':', 1)[1]}", "-addext", f"subjectAltName={san}",
        "-addext", "extendedKeyUsage=serverAuth", cwd=d)
    dates = ["-startdate", start, "-enddate", end] if start else ["-days", "7"]
    run("openssl", "ca", "-batch", "-config", f"{ca}.cnf", "-cert", f"{ca}.pem", "-keyfile", f"{ca}.key",
        "-in", f"{name}.csr", "-out", f"{name}.pem", "-notext", *dates, cwd=d)


def wait_port(port, seconds=10):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def start(state, upstream_port):
    os.makedirs(state, exist_ok=True)
    make_ca(state, "ca")
    make_ca(state, "other-ca")
    make_cert(state, "ca", "good", "IP:127.0.0.1,DNS:localhost")
    make_cert(state, "ca", "wrong", "DNS:wrong.example")
    make_cert(state, "ca", "expired", "IP:127.0.0.1,DNS:localhost", "20200101000000Z", "20200102000000Z")
    make_cert(state, "other-ca", "other", "IP:127.0.0.1,DNS:localhost")

    ports = {name: free_port() for name in ("good", "wrongName", "expired", "otherCa")}
    certs = {"good": "good", "wrongName": "wrong", "expired": "expired", "otherCa": "other"}
    conf = ["pid =", "foreground = yes", f"output = {state}/stunnel.log", "debug = notice"]
    for name, port in ports.items():
        conf += [f"[{name}]", f"accept = 127.0.0.1:{port}", f"connect = 127.0.0.1:{upstream_port}",
                 f"cert = {state}/{certs[name]}.pem", f"key = {state}/{certs[name]}.key"]
    with open(os.path.join(state, "stunnel.conf"), "w") as f:
        f.write("\n".join(conf) + "\n")
    stunnel = subprocess.Popen(["stunnel4", os.path.join(state, "stunnel.conf")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

    proxy_port = free_port()
    password = secrets.token_hex(12)
    log = os.path.join(state, "tinyproxy.log")
    open(log, "w").close()
    pconf = [f"Port {proxy_port}", "Listen 127.0.0.1", "Timeout 60", f'LogFile "{log}"', "LogLevel Info",
             "MaxClients 100", "Allow 127.0.0.1", f"BasicAuth moltdesk {password}"]
    pconf += [f"ConnectPort {p}" for p in ports.values()]
    with open(os.path.join(state, "tinyproxy.conf"), "w") as f:
        f.write("\n".join(pconf) + "\n")
    proxy = subprocess.Popen(["tinyproxy", "-d", "-c", os.path.join(state, "tinyproxy.conf")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

    info = {"ca": os.path.join(state, "ca.pem"), "otherCa": os.path.join(state, "other-ca.pem"),
            "endpoints": {n: f"https://127.0.0.1:{p}" for n, p in ports.items()},
            "proxy": {"url": f"http://moltdesk:{password}@127.0.0.1:{proxy_port}", "host": "127.0.0.1",
                      "port": proxy_port, "user": "moltdesk", "password": password, "log": log},
            "pids": [stunnel.pid, proxy.pid]}
    path = os.path.join(state, "tls.json")
    with open(path, "w") as f:
        json.dump(info, f, indent=1)
    os.chmod(path, 0o600)
    for port in list(ports.values()) + [proxy_port]:
        if not wait_port(port):
            stop(state)
            sys.exit(f"tlsfront: nothing listens on port {port}; see {state}/stunnel.log")
    print(json.dumps(info))


def stop(state):
    try:
        with open(os.path.join(state, "tls.json")) as f:
            pids = json.load(f)["pids"]
    except (OSError, ValueError, KeyError):
        return
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "start":
        start(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) == 3 and sys.argv[1] == "stop":
        stop(sys.argv[2])
    else:
        sys.exit(__doc__)
