"""The dask.distributed worker plugin of corepy.dask (its own module: importing distributed
waits until a cluster is in use)."""

from __future__ import annotations

from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

import corepy as cp

__all__ = ["CorepyWorkerPlugin"]


class CorepyWorkerPlugin(WorkerPlugin):
    """On every worker: registers Tensor with Dask and sets corepy's thread count to the
    worker's (``nthreads``), so tasks running side by side share one pool of that size instead
    of each asking for every core (oversubscription)."""

    name = "corepy"

    def __init__(self, nthreads: int | None = None) -> None:
        self.nthreads = nthreads

    def setup(self, worker: Any) -> None:
        from corepy import dask as cpdask

        cpdask.register()
        n = self.nthreads or worker.state.nthreads
        cp.set_num_threads(int(n))
