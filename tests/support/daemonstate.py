"""Stopping a test daemon recorded in a state file ({"pid": N}), shared by the fault proxy and the
stand-in worker: the pid is signalled only while /proc says it is still ours (a recycled pid must never
be killed), TERM first, KILL after 5 s, and the state file goes in every case."""
import json
import os
import signal
import time


def stop_recorded(path, is_ours):
    """Stops the process group recorded in `path`; False when nothing was recorded there."""
    try:
        with open(path) as f:
            pid = json.load(f)["pid"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    if is_ours(pid):
        os.killpg(pid, signal.SIGTERM)
        deadline = time.time() + 5
        while is_ours(pid) and time.time() < deadline:
            time.sleep(0.05)
        if is_ours(pid):
            os.killpg(pid, signal.SIGKILL)
    os.unlink(path)
    return True
