#!/usr/bin/env python3
"""Summarizes async-profiler collapsed stacks: samples per thread, self time per frame, inclusive time per frame.

  scripts/perf/topframes.py FILE.collapsed[.gz] [--top 30] [--match REGEX]
"""
import argparse
import gzip
import collections
import re
import sys


def main(argv):
    p = argparse.ArgumentParser()
    p.add_argument("file")
    p.add_argument("--top", type=int, default=30)
    p.add_argument("--match", help="inclusive counts only for frames matching this regex")
    a = p.parse_args(argv)
    total = 0
    threads = collections.Counter()
    self_t = collections.Counter()
    incl = collections.Counter()
    with (gzip.open(a.file, "rt") if a.file.endswith(".gz") else open(a.file)) as f:
        for line in f:
            stack, _, n = line.rstrip("\n").rpartition(" ")
            n = int(n)
            frames = stack.split(";")
            total += n
            threads[re.sub(r"[-#]?\d+\]?$", "", frames[0])] += n
            self_t[frames[-1]] += n
            for fr in set(frames):
                if a.match is None or re.search(a.match, fr):
                    incl[fr] += n
    print("total samples", total)
    for title, c in (("threads", threads), ("self", self_t), ("inclusive", incl)):
        print("==", title)
        for fr, n in c.most_common(a.top):
            print("%6.2f%% %s" % (100.0 * n / total, fr[:160]))


if __name__ == "__main__":
    main(sys.argv[1:])
