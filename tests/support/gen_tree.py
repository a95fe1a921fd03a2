#!/usr/bin/python3
"""The standard workload tree: a deterministic tree shaped like a Moltbot backup.

    gen_tree.py DIR [SMALL=3000 [BIG=5 [BIG_MIB=8]]]   write it (same arguments, same bytes)
    gen_tree.py DIR --touch N SEED                     append 10 bytes ("x" * 10) to N files chosen by SEED
    gen_tree.py --list [SMALL [BIG [BIG_MIB]]]          print "SIZE PATH" per file, write nothing

Shape with the defaults: 3,007 files, about 60 MB:
  clawdbot/clawdbot.json (4000 B), clawdbot/devices/paired.json (2000 B), then SMALL files, each one
  of: a session clawdbot/agents/main/sessions/sNNNNN.jsonl (half of them), a memory note
  workspace/memory/MM/noteNNNNN.md (MM = i mod 50; three in ten), a skill file
  skills/skillSS/fileNNNNN.txt (SS = i mod 40; the rest), of lognormal size (mu 8, sigma 1.2) clamped to
  200..65536 bytes; then BIG files workspace/assets/bigN.bin of BIG_MIB MiB each. Content is random bytes.
All of it comes from one random.Random(42) stream, in that order, so the list, sizes and bytes are the
same on every machine with Python 3.9+. Standard library only.
"""
import os
import random
import sys

SEED = 42


def entries(small=3000, big=5, big_mib=8):
    """(relative path, content) in generation order."""
    rng = random.Random(SEED)
    yield "clawdbot/clawdbot.json", rng.randbytes(4000)
    yield "clawdbot/devices/paired.json", rng.randbytes(2000)
    for i in range(small):
        r = rng.random()
        if r < 0.5:
            rel = "clawdbot/agents/main/sessions/s%05d.jsonl" % i
        elif r < 0.8:
            rel = "workspace/memory/%02d/note%05d.md" % (i % 50, i)
        else:
            rel = "skills/skill%02d/file%05d.txt" % (i % 40, i)
        size = int(min(65536, max(200, rng.lognormvariate(8, 1.2))))
        yield rel, rng.randbytes(size)
    for i in range(big):
        yield "workspace/assets/big%d.bin" % i, rng.randbytes(big_mib << 20)


def generate(root, small=3000, big=5, big_mib=8):
    count = total = 0
    for rel, data in entries(small, big, big_mib):
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        count += 1
        total += len(data)
    return count, total


def touch(root, n, seed):
    """Changes n files in place. Which ones depends only on seed and the tree's file list."""
    files = sorted(os.path.join(d, name) for d, _, names in os.walk(root) for name in names)
    for path in random.Random(seed).sample(files, n):
        with open(path, "ab") as f:
            f.write(b"x" * 10)


def main(argv):
    if len(argv) >= 1 and argv[0] == "--list":
        for rel, data in entries(*[int(a) for a in argv[1:4]]):
            print(len(data), rel)
        return 0
    if len(argv) == 4 and argv[1] == "--touch":
        touch(argv[0], int(argv[2]), int(argv[3]))
        return 0
    if 1 <= len(argv) <= 4 and not argv[0].startswith("-"):
        count, total = generate(argv[0], *[int(a) for a in argv[1:4]])
        print(f"gen_tree: {count} files, {total} bytes in {argv[0]}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
