"""Dataflows for spin-gate's bytewax suite, on the bytewax 0.16.x API.

They reproduce the bytewax maintainers' benchmark of the idle-worker spin
(fixed in 0.16.1 by parking idle workers for 1 ms):

- ``long_input``: every source returns ``None`` until SLOW_DELAY seconds have
  passed since its last item, so the workers are idle most of the time; a
  runtime that polls without parking burns every core here.
- ``heavy_map``: the map does real CPU work per item, so every core should be
  busy; a fix for the spin must not starve this case.

Run as (cluster.py starts the processes of ``bytewax.run -p2`` one after the other)::

    python cluster.py 2 "dataflow:get_flow(input='partitioned', long_input=True, heavy_map=False)"
"""

import time

from bytewax.connectors.stdio import StdOutput
from bytewax.dataflow import Dataflow
from bytewax.inputs import DynamicInput, PartitionedInput, StatefulSource, StatelessSource

PARTITIONS = 16
ITEMS = 20
SLOW_DELAY = 0.25
HEAVY_RANGE = 300_000


class _Pacer:
    """Says when the next item is due: at once, or SLOW_DELAY after the last."""

    def __init__(self, slow):
        self.slow = slow
        self.last = time.monotonic()

    def ready(self):
        if not self.slow:
            return True
        now = time.monotonic()
        if now - self.last < SLOW_DELAY:
            return False
        self.last = now
        return True


class _Counter:
    """Items (key, 0), (key, 1), ... up to ITEMS, paced by a _Pacer."""

    def __init__(self, key, start, slow):
        self.key = key
        self.i = start
        self.pacer = _Pacer(slow)

    items = ITEMS

    def next(self):
        if self.i >= self.items:
            raise StopIteration()
        if not self.pacer.ready():
            return None
        item = (self.key, self.i)
        self.i += 1
        return item

    def close(self):
        pass


class _NumberSource(_Counter, StatefulSource):
    def snapshot(self):
        return self.i


class NumberPartitionedInput(PartitionedInput):
    def __init__(self, slow):
        self.slow = slow

    def list_parts(self):
        return {f"part-{i}" for i in range(PARTITIONS)}

    def build_part(self, for_key, resume_state):
        return _NumberSource(for_key, resume_state or 0, self.slow)


class _StatelessNumberSource(_Counter, StatelessSource):
    def __init__(self, key, slow, items):
        super().__init__(key, 0, slow)
        self.items = items


class NumberDynamicInput(DynamicInput):
    def __init__(self, slow):
        self.slow = slow

    def build(self, worker_index, worker_count):
        # Paced, each source emits ITEMS, like a partition, so the idle scenarios
        # last ITEMS x SLOW_DELAY. Unpaced, the sources share the partitioned
        # input's PARTITIONS x ITEMS items, so a CPU-heavy map has the same work
        # either way and is CPU-bound rather than start-up bound.
        items = ITEMS if self.slow else -(-PARTITIONS * ITEMS // worker_count)
        return _StatelessNumberSource(f"worker-{worker_index}", self.slow, items)


def _spread_key(item):
    key, i = item
    return (f"{key}/{i}", item)


def _heavy(state, item):
    key, i = item
    return state, (key, i, sum(list(range(HEAVY_RANGE))))


def _unkey(keyed):
    return keyed[1]


def _light(item):
    key, i = item
    return (key, i, i)


def get_flow(input="partitioned", long_input=False, heavy_map=False):
    """Build one scenario's dataflow; arguments are the suite's parameters."""
    if input == "partitioned":
        source = NumberPartitionedInput(long_input)
    elif input == "dynamic":
        source = NumberDynamicInput(long_input)
    else:
        raise ValueError(f"unknown input {input!r}: expected 'partitioned' or 'dynamic'")
    flow = Dataflow()
    flow.input("inp", source)
    if heavy_map:
        # Every item gets its own key so the stateful step routes the work evenly
        # across workers: a CPU-bound scenario must be limited by the runtime, not
        # by which worker the input's partitions happened to hash to (16 parts
        # over 2 workers split 10/6, which leaves a core idle without any spin).
        flow.map(_spread_key)
        flow.stateful_map("heavy", lambda: None, _heavy)
        flow.map(_unkey)
    else:
        flow.map(_light)
    flow.map(lambda t: f"{t[0]} {t[1]} {t[2]}")
    flow.output("out", StdOutput())
    return flow
