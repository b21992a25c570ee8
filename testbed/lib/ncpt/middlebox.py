"""Which middlebox the testbed scripts use: NCP when it is built, the naive tee as a labelled stand-in
only while the middlebox branch is not merged (so the topology, flows and checks can be exercised)."""

import glob
import os
import subprocess

from . import proxies

ROOT = proxies.ROOT


def merged():
    """True once the middlebox branch is merged (its sources exist beyond the skeleton's package-info)."""
    srcs = glob.glob(os.path.join(ROOT, "middlebox", "src", "main", "java", "io", "ncp", "middlebox", "**",
                                  "*.java"), recursive=True)
    return any(not s.endswith("package-info.java") for s in srcs)


def choose(requested="auto", log=print):
    """'ncp' | 'tee' | 'auto' -> the system name to use. 'auto' = ncp when merged (then its jar must
    exist: a merged but unbuilt middlebox is an error, not a reason to test the tee)."""
    if requested != "auto":
        return requested
    if proxies.Ncp.available():
        return "ncp"
    if merged():
        raise RuntimeError("middlebox sources are present but %s is not built: run ./ncp build"
                           % proxies.NCP_JAR)
    log("WARNING: the NCP middlebox is not merged yet; the naive tee stands in for it "
        "(topology, planner flows and replica checks are exercised, NCP itself is NOT)")
    return "tee"


def has_subcommand(name):
    """True when ``ncp-middlebox --help`` lists the subcommand ``name`` (e.g. 'mirror' once the middlebox
    branch lands it). ``ncp-middlebox <unknown> --help`` exits 0 (the top-level help), so the list is read."""
    if not proxies.Ncp.available():
        return False
    res = subprocess.run(["java", "-jar", proxies.NCP_JAR, "--help"], text=True, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, timeout=60)
    commands = res.stdout.split("Commands:", 1)[-1] if "Commands:" in res.stdout else ""
    return any(line.strip().split(" ")[0] == name for line in commands.splitlines() if line.startswith("  "))
