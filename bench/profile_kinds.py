"""Sum py-spy's collapsed stacks (`live_load.py --profile FILE`) per request kind.

For each kind (bench/cpu_meter.py serves each through a function of its own), prints its share
of the server's samples and where its time goes: the functions of its stacks, each counted once
per sample (inclusive) and leaving out those in every sample, so that the layers (Flask, cookie,
CSRF, limiter, database, templates) show.

Usage: .venv/bin/python bench/profile_kinds.py FILE [--top 12]
"""

from __future__ import annotations

import argparse
import re
from collections import Counter, defaultdict

FRAME = re.compile(r"^(.*) \((.*):\d+\)$")


def kind_of(names: list[str]) -> str:
    """bench/cpu_meter.py serves each kind of request through a function of its own."""
    for name in names:
        if name.startswith("serve_"):
            return name.removeprefix("serve_").replace("_", "-")
    return "outside the app (gunicorn)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file")
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args()
    per_kind: Counter[str] = Counter()
    inside: dict[str, Counter[str]] = defaultdict(Counter)
    for line in open(args.file, encoding="utf-8"):
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = []
        for frame in stack.split(";"):
            match = FRAME.match(frame)
            if match:
                frames.append(f"{match.group(1)} ({match.group(2)})")
        names = [f.split(" (")[0] for f in frames]
        kind = kind_of(names)
        per_kind[kind] += int(count)
        for frame in set(frames):
            inside[kind][frame] += int(count)
    total = sum(per_kind.values())
    for kind, samples in per_kind.most_common():
        print(f"{kind}: {samples} samples, {100 * samples / total:.1f} % of the server's CPU")
        shared = {f for f, n in inside[kind].items() if n == samples}  # the whole stack's base
        for frame, n in [(f, n) for f, n in inside[kind].most_common(args.top + len(shared))
                         if f not in shared][:args.top]:
            print(f"    {100 * n / samples:5.1f} %  {frame}")


if __name__ == "__main__":
    main()
