"""Live display while `compare` runs: a progress bar (tqdm) and a plot redrawn in place in
Jupyter, one printed line per point elsewhere."""

from __future__ import annotations

import sys
import time
import warnings
from typing import Any

from .results import fmt_num, fmt_size, fmt_time

__all__ = ["Live", "in_notebook", "tqdm_bar", "tqdm_missing"]


def in_notebook() -> bool:
    """True inside a Jupyter kernel (where plots and progress bars are drawn live)."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    try:
        shell = ipython.get_ipython()
    except Exception:
        return False
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


class Live:
    """Progress (tqdm bar in Jupyter, one printed line per point elsewhere) and, in Jupyter, a
    plot redrawn in place as points arrive."""

    def __init__(self, total: int, plot_metric: str | None, progress: bool | None) -> None:
        self.notebook = in_notebook()
        self.bar = None
        self.lines = not self.notebook if progress is None else (progress and not self.notebook)
        want_bar = self.notebook if progress is None else (progress and self.notebook)
        if want_bar:
            self.bar = tqdm_bar(total)
        self.metric = plot_metric if self.notebook else None
        self.handle = None
        self.last_draw = 0.0
        self.min_gap = 0.5  # seconds between redraws; grows with the cost of a redraw
        self.total = total
        self.done = 0

    def point(self, rows: list[dict[str, Any]], new: list[dict[str, Any]]) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.update(1)
            if new:
                self.bar.set_postfix_str(f"{new[0]['op']} {fmt_size(new[0]['op'], new[0]['size'])}")
        if self.lines and new:
            self._print_line(new)
        if self.metric and time.perf_counter() - self.last_draw > self.min_gap:
            self.draw(rows)

    def _print_line(self, new: list[dict[str, Any]]) -> None:
        r0 = new[0]
        base = next((r for r in new if r["lib"] == "numpy"), None)
        parts = []
        for r in new:
            compute = r.get("bound") == "compute"
            tp = r.get("gflops") if compute else r.get("gbps")
            unit = "GFLOP/s" if compute else "GB/s"
            part = f"{r['lib']} {fmt_time(r['median_s']):>9} {fmt_num(tp):>6} {unit}"
            if base is not None and r is not base:
                part += f" ({base['median_s'] / r['median_s']:.2f}x)"
            if r["agrees"] is False:
                part += " MISMATCH"
            parts.append(part)
        width = len(str(self.total))
        size = fmt_size(r0["op"], r0["size"])
        head = f"[{self.done:>{width}}/{self.total}] {r0['op']:<7} {size:>9}"
        print(f"{head}  " + " | ".join(parts), flush=True)

    def draw(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        from IPython.display import Image, display

        from .plots import figure_bytes, plot  # plots imports this module

        start = time.perf_counter()
        fig = plot(rows, metric=self.metric)
        if fig is None:
            self.metric = None
            return
        img = Image(data=figure_bytes(fig, "png"), format="png")
        if self.handle is None:
            self.handle = display(img, display_id=True)
        else:
            self.handle.update(img)
        self.last_draw = time.perf_counter()
        # Drawing may take at most ~1/5 of the time: a big grid of panels redraws less often.
        self.min_gap = max(0.5, 4 * (self.last_draw - start))

    def close(self, rows: list[dict[str, Any]]) -> None:
        if self.bar is not None:
            self.bar.close()
        if self.metric:
            self.draw(rows)


def tqdm_bar(total: int):
    try:
        import ipywidgets  # noqa: F401 - the notebook bar needs it
        from tqdm.notebook import tqdm
    except ImportError:
        try:
            from tqdm.std import tqdm
        except ImportError:
            return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return tqdm(total=total, desc="bench", file=sys.stderr)


def tqdm_missing() -> bool:
    try:
        import tqdm  # noqa: F401
    except ImportError:
        return True
    return False
