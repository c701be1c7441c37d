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
"""

import os
import socket
import subprocess
import sys
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


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: cluster.py N IMPORT_STR")
    n, flow = int(sys.argv[1]), sys.argv[2]
    ports = free_ports(n)
    addresses = ";".join(f"127.0.0.1:{p}" for p in ports)
    procs = []
    for i in range(n):
        cmd = [sys.executable, "-m", "bytewax.run", flow, "-i", str(i), "-a", addresses]
        procs.append(subprocess.Popen(cmd))
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
    sys.exit(code)


if __name__ == "__main__":
    main()
