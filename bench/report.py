#!/usr/bin/python3
"""bench/run.sh's measurements -> a Markdown report: medians over the repetitions, ratios moltctl/peer,
what each tool wrote (counted independently: listing diffs, changed files) and every target of the
benchmark issue marked met or missed with its margin.

Rows (tab-separated): scenario, tool, then "WALL USER SYS PEAK_KB" | "failed: why" |
"written OBJECTS BYTES DELETED" | "reported k=v ..." | "stall MS"."""
import datetime, statistics, subprocess, sys

times, written, reported, stalls, failures = {}, {}, {}, [], []
for line in open(sys.argv[1]):
    parts = line.rstrip("\n").split("\t")
    if len(parts) != 3:
        continue
    scen, tool, m = parts
    f = m.split()
    if m.startswith("written"):
        w = [int(x) for x in f[1:]] + [0, 0]
        written.setdefault((scen, tool), []).append(tuple(w[:5]))
    elif m.startswith("reported"):
        reported.setdefault((scen, tool), []).append(dict(kv.split("=") for kv in f[1:]))
    elif m.startswith("stall"):
        if f[1] != "failed":
            stalls.append(float(f[1]))
        else:
            failures.append(("gui-stall", "moltdesk", "no measurement"))
    elif len(f) == 4 and not m.startswith("failed"):
        times.setdefault((scen, tool), []).append((float(f[0]), float(f[1]) + float(f[2]), int(f[3]) / 1024))
    else:
        times.setdefault((scen, tool), [])
        failures.append((scen, tool, m))

reps, scale = sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 0
med = {k: tuple(statistics.median(v[i] for v in vals) for i in range(3)) for k, vals in times.items() if vals}
medw = {k: tuple(statistics.median(v[i] for v in vals) for i in range(5)) for k, vals in written.items()}
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
mem = next((int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
versions = "; ".join(subprocess.getoutput(c).splitlines()[0] for c in
                     ("rclone version", "/usr/bin/aws --version", "s3cmd --version", "rsync --version"))
print(f"# Benchmark results\n\n{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC · "
      f"{subprocess.getoutput('nproc')} cores · {cpu} · {mem // 1024 // 1024} GiB · OpenStack Swift s3api on "
      f"loopback · standard tree (3,007 files, ~60 MB) · {reps} repetitions, medians · {versions}\n")
print("Ratios are moltctl / peer: below 1 means moltctl is faster or lighter. *Data written* is counted "
      "independently of the tool (objects whose ETag or time changed in a listing diff; files modified in "
      "mount mode); Moltdesk's markers are shown apart: every successful sync stamps `.last-sync` (26 B), as "
      "the container's own sync does, so an operator sees when the backup was last confirmed.\n")
print("| scenario | tool | wall s | CPU s | peak MB | wall ratio | CPU ratio | data written (objects · bytes) |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
for scen in dict.fromkeys(s for s, _ in list(times) + list(written)):
    base = med.get((scen, "moltctl"))
    for tool in dict.fromkeys(t for s, t in list(times) + list(written) if s == scen):
        m, w = med.get((scen, tool)), medw.get((scen, tool))
        gone = "not copied" if scen == "migrate" else "deleted"
        ws = (f"{w[0]:.0f} · {w[1]:,.0f} B" + (f" · {w[2]:.0f} {gone}" if w[2] else "") +
              (f" (+ {w[3]:.0f} marker, {w[4]:.0f} B)" if w[3] else "")) if w else ""
        if m is None:
            if (scen, tool) in times:
                print(f"| {scen} | {tool} | failed | | | | | {ws} |")
            continue
        ratio = f"{base[0] / m[0]:.2f}" if base and tool != "moltctl" and m[0] > 0 else ""
        cratio = f"{base[1] / m[1]:.2f}" if base and tool != "moltctl" and m[1] > 0 else ""
        print(f"| {scen} | {tool} | {m[0]:.2f} | {m[1]:.2f} | {m[2]:.0f} | {ratio} | {cratio} | {ws} |")
if stalls:
    print(f"| gui-stall | moltdesk | longest UI-thread stall during a 3,007-file sync: median "
          f"{statistics.median(stalls):.1f} ms, worst {max(stalls):.1f} ms of {len(stalls)} runs | | | | | |")
for scen, tool, r in sorted({(s, t, " ".join(f"{k}={v}" for k, v in d.items()))
                              for (s, t), ds in reported.items() for d in ds}):
    print(f"\n<!-- moltctl reported for {scen}: {r} -->", end="")
print("\n\n## Targets\n")
print("| target | measured | verdict |")
print("|---|---|---|")

def verdict(name, measured, ok):
    print(f"| {name} | {measured} | {'met' if ok else '**missed**'} |")

def peers(scen, names):
    return {t: med[(scen, t)] for t in names if (scen, t) in med}

s3peers = ("rclone", "aws", "s3cmd")
if ("noop", "moltctl") in med:
    mc, p = med[("noop", "moltctl")], peers("noop", s3peers)
    if p:
        fast = min(p, key=lambda t: p[t][0])
        light = min(p, key=lambda t: p[t][1])
        verdict("no-op: ≥ 1.7× faster than the fastest peer", f"{p[fast][0] / mc[0]:.2f}× faster than {fast}",
                p[fast][0] / mc[0] >= 1.7)
        verdict("no-op: client CPU ≤ 0.1× the lightest peer's", f"{mc[1] / p[light][1]:.3f}× {light}'s",
                mc[1] / p[light][1] <= 0.1)
    if ("noop", "floor-list") in med:
        fl = med[("noop", "floor-list")]
        verdict("no-op: within 1.2× the bare listing (aws s3api list-objects-v2)", f"{mc[0] / fl[0]:.2f}×",
                mc[0] / fl[0] <= 1.2)
    if ("noop", "floor-moltctl-ls") in med:  # the stricter floor: a listing without Python's start-up
        fl = med[("noop", "floor-moltctl-ls")]
        verdict("no-op: within 1.2× the bare listing (strict: `moltctl ls`)", f"{mc[0] / fl[0]:.2f}×",
                mc[0] / fl[0] <= 1.2)
    w = medw.get(("noop", "moltctl"))
    verdict("no-op: zero bytes uploaded", (f"{w[0]:.0f} data objects, {w[1]:.0f} B (+ the {w[4]:.0f} B "
                                            f".last-sync stamp)") if w else "not counted", bool(w) and w[0] == 0)
if ("touch30", "moltctl") in med:
    mc, p = med[("touch30", "moltctl")], peers("touch30", s3peers)
    w = written.get(("touch30", "moltctl"), [])
    verdict("30 changed: exactly 30 files uploaded", ", ".join(str(x[0]) for x in w) + " per run",
            bool(w) and all(x[0] == 30 and x[2] == 0 for x in w))
    if p:
        fast = min(p, key=lambda t: p[t][0])
        verdict("30 changed: ≥ 1.5× faster than the fastest peer", f"{p[fast][0] / mc[0]:.2f}× faster than {fast}",
                p[fast][0] / mc[0] >= 1.5)
for scen, label in (("initial", "initial upload"), ("restore", "restore")):
    if (scen, "moltctl") in med and (scen, "rclone") in med:
        r = med[(scen, "moltctl")][0] / med[(scen, "rclone")][0]
        verdict(f"{label}: at least as fast as rclone --transfers=16", f"{r:.2f}× rclone's time", r <= 1.0)
if ("mount-noop", "moltctl") in med and ("mount-noop", "rsync") in med:
    r = med[("mount-noop", "rsync")][0] / med[("mount-noop", "moltctl")][0]
    verdict("mount no-op: ≥ 10× faster than the seed's rsync", f"{r:.1f}× faster", r >= 10)
    w = medw.get(("mount-noop", "moltctl"))
    verdict("mount no-op: zero bytes written", (f"{w[0]:.0f} data files, {w[1]:.0f} B (+ the {w[4]:.0f} B "
                                                f".last-sync stamp)") if w else "not counted", bool(w) and w[0] == 0)
if ("migrate", "moltctl") in med and ("migrate", "rclone") in med:
    r = med[("migrate", "moltctl")][0] / med[("migrate", "rclone")][0]
    verdict("migration: at least as fast as rclone copy between the buckets", f"{r:.2f}× rclone's time", r <= 1.0)
if ("scale-noop", "moltctl") in med:
    mc = med[("scale-noop", "moltctl")]
    verdict(f"{scale:,} objects: peak memory under 150 MB (listing + planning a no-op sync)",
            f"{mc[2]:.0f} MB, {mc[0]:.1f} s", mc[2] < 150)
if stalls:
    verdict("UI thread never stalls longer than 50 ms (3,007-file sync)", f"worst {max(stalls):.1f} ms",
            max(stalls) < 50)
if failures:
    print("\n## Failed runs\n")
    for scen, tool, why in failures:
        print(f"- {scen} / {tool}: {why}")
