"""NCP testbed library: namespaces, veths, bridges, tbf shaping, process bookkeeping, reports.

Everything this library creates is named with the prefix ``ncpt`` (namespaces ``ncpt-*``, Linux and OVS
bridges ``ncpt-*``, veths ``ncpt*``) and every process it starts is recorded by PID in the state
directory, so ``testbed/lib/cleanup.sh`` can remove exactly what the testbed made and nothing else.
"""
