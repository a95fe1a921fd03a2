#!/usr/bin/python3
"""firstframe.py BINARY [N]: starts moltdesk-firstframe N times (default 5), one at a time, and prints
each run's time from process start (CLOCK_MONOTONIC just before the fork) to the window's first paint,
then the median. Uses the environment as it is (QT_QPA_PLATFORM=offscreen or a display)."""
import statistics, subprocess, sys, time

binary, runs = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5
times = []
for i in range(runs):
    t0 = time.monotonic()
    out = subprocess.run([binary], capture_output=True, text=True, timeout=60).stdout
    line = next((l for l in out.splitlines() if l.startswith("first-paint ")), None)
    if line is None:
        print(f"run {i + 1}: no paint seen", file=sys.stderr)
        sys.exit(1)
    ms = (float(line.split()[1]) - t0) * 1000
    times.append(ms)
    print(f"run {i + 1}: {ms:.1f} ms")
print(f"first frame: median {statistics.median(times):.1f} ms of {runs} (min {min(times):.1f}, max {max(times):.1f})")
