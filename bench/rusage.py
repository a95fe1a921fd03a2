#!/usr/bin/python3
"""rusage.py OUT COMMAND...: runs COMMAND, writes "WALL USER SYS PEAK_KB" to OUT, exits with its status.
Wall from a monotonic clock, user and system CPU from wait4's rusage in microseconds (GNU time rounds
to 10 ms, too coarse for a 0.1 s no-op), peak RSS in KiB. Includes the children COMMAND waited for."""
import os, subprocess, sys, time

out, cmd = sys.argv[1], sys.argv[2:]
t0 = time.perf_counter()
try:
    proc = subprocess.Popen(cmd)
except OSError as e:
    print(f"rusage.py: {cmd[0]}: {e}", file=sys.stderr)
    sys.exit(127)
_, status, ru = os.wait4(proc.pid, 0)
wall = time.perf_counter() - t0
with open(out, "w") as f:
    f.write(f"{wall:.6f} {ru.ru_utime:.6f} {ru.ru_stime:.6f} {ru.ru_maxrss}\n")
sys.exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
