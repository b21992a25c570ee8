"""Naming rules and the state directory shared by every testbed script."""

import os

PREFIX = "ncpt"
STATE_DIR = os.environ.get("NCPT_STATE_DIR", "/tmp/ncpt-state")
PID_FILE = os.path.join(STATE_DIR, "pids")


def ours(name):
    """True when an interface, namespace or bridge name belongs to the testbed."""
    return name.startswith(PREFIX)


def ensure_state_dir():
    os.makedirs(STATE_DIR, exist_ok=True)
    return STATE_DIR
