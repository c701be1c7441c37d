"""Run a bytewax dataflow on N local processes, like ``bytewax.run -pN``.

    python cluster.py N "dataflow:get_flow(...)"

``bytewax.run -pN`` starts its N processes at once, and a process that
connects to a peer before the peer listens sleeps a whole second before
trying again (seen with strace: ECONNREFUSED, then a 1 s sleep, in about 4
runs in 10 on 2 cores). That second is start-up noise, not the dataflow:
this launcher starts the same processes with bytewax's documented
``-i/--process-id`` and ``-a/--addresses`` options, each one only once the
previous one is listening (read from /proc/net/tcp, without connecting to
it), on free ports, so concurrent runs do not collide on port 2101 either.
It exits with the first non-zero exit code of its processes. The processes
stay in the launcher's process group, so a gate's timeout kills them all.

Under the gate ($SPIN_GATE_METRICS set, the suite's "metrics") it also counts
the items the dataflow processed (the lines its output step wrote, passed on
to its own stdout as they come) and writes them there in the Bencher Metric
Format: {"dataflow": {"items": {"value": N}}}. Without it, the processes
write to the launcher's stdout directly, as before.
"""

import json
import os
import socket
import subprocess
import sys
import threading
import time

LISTEN = "0A"


def free_ports(n):
    socks, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    return ports


def listening(port):
    want = f":{port:04X}"
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    if fields[1].endswith(want) and fields[3] == LISTEN:
                        return True
        except FileNotFoundError:
            pass
    return False


def count_lines(pipe, counts, i, lock):
    """Pass a process's output on and count its lines (one per item)."""
    n = 0
    for line in pipe:
        n += 1
        with lock:
            sys.stdout.buffer.write(line)
    counts[i] = n


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: cluster.py N IMPORT_STR")
    n, flow = int(sys.argv[1]), sys.argv[2]
    ports = free_ports(n)
    addresses = ";".join(f"127.0.0.1:{p}" for p in ports)
    metrics = os.environ.get("SPIN_GATE_METRICS")
    procs, readers, counts, lock = [], [], [0] * n, threading.Lock()
    for i in range(n):
        cmd = [sys.executable, "-m", "bytewax.run", flow, "-i", str(i), "-a", addresses]
        procs.append(subprocess.Popen(cmd, stdout=subprocess.PIPE if metrics else None))
        if metrics:
            readers.append(threading.Thread(target=count_lines,
                                            args=(procs[i].stdout, counts, i, lock),
                                            daemon=True))
            readers[-1].start()
        if i == n - 1:
            break
        deadline = time.monotonic() + 30
        while not listening(ports[i]):
            if procs[i].poll() is not None or time.monotonic() > deadline:
                # a process that died (or never listened) leaves its peers
                # waiting for it forever: stop them and report it
                for p in procs:
                    if p.poll() is None:
                        p.kill()
                    p.wait()
                rc = procs[i].returncode
                sys.exit(rc if rc and rc > 0 else 1)
            time.sleep(0.002)
    code = 0
    for p in procs:
        rc = p.wait()
        if rc != 0 and code == 0:
            code = rc if rc > 0 else 128 - rc
    for t in readers:
        t.join()
    if metrics and code == 0:
        with open(metrics, "w") as f:
            json.dump({"dataflow": {"items": {"value": sum(counts)}}}, f)
    sys.exit(code)


if __name__ == "__main__":
    main()
