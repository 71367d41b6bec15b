"""Sum py-spy's collapsed stacks (`live_load.py --profile FILE`) per request kind.

For each kind (the view a sample is in), prints its share of the server's samples and the
places its time goes: the functions of the stack, each counted once per sample (inclusive),
that are not the kind's own view, so that the stack (Flask, cookie, CSRF, limiter, database,
templates) shows up by layer.

Usage: .venv/bin/python bench/profile_kinds.py FILE [--top 12]
"""

from __future__ import annotations

import argparse
import re
from collections import Counter, defaultdict

# The first frame of a stack that names one of these says what request the sample served.
KINDS = {"pupil_state": "poll", "pupil": "page/answer", "join": "join", "host": "teacher",
         "host_state": "teacher-poll", "send_static_file": "static", "static_file": "static",
         "FastPoll.__call__": "poll (fast path)"}
FRAME = re.compile(r"^(.*) \((.*):\d+\)$")


def kind_of(frames: list[str]) -> str:
    for frame in frames:  # outermost first: the view, not a function it calls
        if frame in KINDS:
            return KINDS[frame]
    if any(f.startswith("Flask.") for f in frames):
        return "other request"
    return "outside requests (gunicorn, idle)"


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
        for frame, n in inside[kind].most_common(args.top + 8)[8:]:
            print(f"    {100 * n / samples:5.1f} %  {frame}")


if __name__ == "__main__":
    main()
