#!/usr/bin/env python3
"""Counts per payout for scripts/profile.sh: samples one gateway process until it exits.

  gateway_counts.py PID ADMIN_PORT_FILE OUT.json [ALLOC_COUNTER_FILE]

Once a second it reads the gateway's /metrics (CreatePayout RPCs, store operations by kind),
/proc/PID/stat (CPU), every thread's voluntary/involuntary context switches (/proc/PID/task/*;
a thread that exits takes its counts with it, so these are a floor: perf stat's figure is the
total) and the LD_PRELOAD allocation counter's file. It writes the first and last samples
and their differences to OUT.json when the process is gone.
"""
import glob
import json
import os
import sys
import time
import urllib.request


def metrics(port):
    out = {}
    try:
        text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2).read().decode()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("#") or "_bucket{" in line:
            continue
        name, _, value = line.rpartition(" ")
        try:
            out[name] = float(value)
        except ValueError:
            pass
    return out


def sample(pid, port, alloc_file):
    m = metrics(port)
    if m is None:
        return None
    s = {"time": time.time()}
    s["payouts"] = sum(v for k, v in m.items()
                       if k.startswith("grpc_server_handled_total{") and "CreatePayout" in k)
    s["store_operations"] = sum(v for k, v in m.items()
                                if k.startswith("gateway_store_operations_total{"))
    for k, v in m.items():
        if k.startswith("gateway_store_operations_total{"):
            s["store:" + k[len("gateway_store_operations_total"):]] = v
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    s["cpu_seconds"] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    vol = invol = threads = 0
    for status in glob.glob(f"/proc/{pid}/task/*/status"):
        try:
            with open(status) as f:
                for line in f:
                    if line.startswith("voluntary_ctxt_switches:"):
                        vol += int(line.split()[1])
                    elif line.startswith("nonvoluntary_ctxt_switches:"):
                        invol += int(line.split()[1])
            threads += 1
        except OSError:
            pass
    s.update(voluntary_switches=vol, involuntary_switches=invol, threads=threads)
    if alloc_file and os.path.exists(alloc_file):
        with open(alloc_file) as f:
            v = [int(x) for x in f.read().split()]
        s.update(allocs=v[0], frees=v[1], alloc_bytes=v[2])
        for i, name in enumerate(("256B-4KiB", "4-64KiB", "64KiB+")):
            s[f"allocs {name}"], s[f"alloc_bytes {name}"] = v[3 + 2 * i], v[4 + 2 * i]
    return s


def main():
    pid, port_file, out = sys.argv[1], sys.argv[2], sys.argv[3]
    alloc_file = sys.argv[4] if len(sys.argv) > 4 else None
    while not os.path.exists(port_file) and os.path.exists(f"/proc/{pid}"):
        time.sleep(0.1)
    with open(port_file) as f:
        port = f.read().strip()
    first = last = None
    while os.path.exists(f"/proc/{pid}"):
        try:
            s = sample(pid, port, alloc_file)
        except (OSError, ValueError, IndexError):
            s = None
        if s is not None:
            first = first or s
            last = s
        time.sleep(1)
    # A series not yet in the first sample had not moved then.
    delta = {k: v - first.get(k, 0) for k, v in last.items() if isinstance(v, (int, float))}
    with open(out, "w") as f:
        json.dump({"first": first, "last": last, "delta": delta}, f, indent=1)


if __name__ == "__main__":
    main()
