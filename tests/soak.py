"""Soak run (`make soak`): mixed corepy use for a long time, checking that memory stays flat and
that nothing hangs or crashes.

    python tests/soak.py --minutes 30          # what `make soak` runs
    python tests/soak.py --minutes 0.4         # the short version inside `make test`

The main thread cycles through rounds; in each it runs, against NumPy answers, every op (add,
sub, mul, div, sum, mean, all, any, dot, matmul) on contiguous, strided and transposed NumPy
inputs of small to large sizes and several dtypes; then one of: a profile with a flamegraph
(written to disk), a fork (the child, under an alarm, runs ops and sometimes a flamegraph
profile of its own), a thread-count switch, an ISA switch, or a simulated Ctrl-C (SIGINT to
itself during a long matmul, KeyboardInterrupt caught). Two background threads run parallel ops
the whole time, so forks, switches and signals land while the pool is busy.

Every `--report-every` seconds it prints the process's RSS and corepy's live bytes (its counting
allocator, as `cp.profile().allocations["live_bytes"]` shows them), minus the large-buffer
cache's parked buffers, which come and go by design (up to 256 MB). After the warm-up (the
first fifth of the run, at least 5 s) the first report is the baseline; the run fails (exit 1)
if RSS or live bytes end more than the tolerances above it, if a wrong answer, an unexpected
exception or a failed child turns up, and (exit 1, after printing every thread's stack) if the
main loop stops making progress for `--hang-seconds`. A crash ends it with the signal's exit
status. `--inject hang` plants a hang, to check that the watchdog catches it.
"""

from __future__ import annotations

import argparse
import ctypes
import faulthandler
import gc
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

# NumPy's OpenBLAS stops its threads in a fork handler of its own, which hangs (or loses the work
# of) a threaded BLAS call that another thread is making at that moment: seen here as a fork that
# never returned, and as a NumPy `dot` in a background thread that never did. The soak forks
# while its threads compute NumPy references, so NumPy's BLAS runs on one thread here.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

import corepy as cp  # noqa: E402
from corepy import _core  # noqa: E402

DTYPES = ["float32", "float64", "int32", "int64"]
SIZES = [1, 1000, 100_000, 1_000_000, 1_000_000, 3_000_000]
LAYOUTS = ["contiguous", "strided", "transposed"]
MIB = 2**20


def rss_bytes() -> int:
    """Resident memory after handing freed heap memory back to the OS (malloc_trim): what the
    process still holds, not what glibc keeps around after a peak."""
    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def corepy_live() -> tuple[int, int]:
    """(live bytes of corepy's allocator, bytes parked in its large-buffer cache)."""
    with cp.profile() as prof:
        pass
    return prof.allocations["live_bytes"], _core._buffer_cache_bytes()


def make(rng: np.random.Generator, n: int, dtype: str, layout: str) -> np.ndarray:
    """An input of about `n` elements in `layout` (NumPy; corepy reads it zero-copy or copies)."""
    if dtype.startswith("int"):
        gen = lambda shape: rng.integers(-50, 50, size=shape).astype(dtype)  # noqa: E731
    else:
        gen = lambda shape: (rng.random(shape) + 0.5).astype(dtype)  # noqa: E731
    if layout == "contiguous":
        return gen(n)
    if layout == "strided":
        return gen(2 * n)[::2]
    rows = max(1, int(n**0.5))
    return gen((max(1, n // rows), rows)).T  # transposed 2-d view


def close(got, want, dtype: str) -> bool:
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    tol = 1e-3 if dtype == "float32" else 1e-9
    return got.shape == want.shape and np.allclose(got, want, rtol=tol, atol=tol)


class Soak:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.rng = np.random.default_rng(args.seed)
        self.failures: list[str] = []
        self.counts = dict.fromkeys(
            ["rounds", "ops", "checked", "profiles", "forks", "threads", "isa", "ctrl_c"], 0
        )
        self.tmp = Path(tempfile.mkdtemp(prefix="corepy-soak-"))
        self.isas = ["auto", *cp.config()["available_isas"]]
        self.stop = threading.Event()
        self.pause = threading.Event()  # background threads idle while set (for measurements)
        self.lock = threading.Lock()
        self.in_child = False

    def fail(self, what: str) -> None:
        with self.lock:
            self.failures.append(what)
        if self.in_child:  # sys.stdout's lock may have been held by another thread at the fork
            os.write(2, f"FAIL in a forked child: {what}\n".encode())
        else:
            print(f"FAIL: {what}", flush=True)

    # ---- ops ----------------------------------------------------------------------------

    def op_round(self, rng: np.random.Generator, check: bool, sizes=SIZES) -> None:
        """Every op once on random inputs; answers compared with NumPy when `check`."""
        n = int(rng.choice(sizes))
        dtype = str(rng.choice(DTYPES))
        layout = str(rng.choice(LAYOUTS))
        x, y = make(rng, n, dtype, layout), make(rng, n, dtype, layout)
        acc = np.int64 if dtype.startswith("int") else np.float64  # exact sums of ints
        results = [
            ("add", cp.add(x, y), lambda: x + y),
            ("sub", cp.sub(x, y), lambda: x - y),
            ("mul", cp.mul(x, y), lambda: x * y),
            ("sum", cp.sum(x), lambda: x.sum(dtype=acc)),
            ("sum0", cp.sum(x, axis=0), lambda: x.sum(axis=0, dtype=acc)),
            ("all", cp.all(x > 0), lambda: (x > 0).all()),
            ("any", cp.any(x > 40), lambda: (x > 40).any()),
        ]
        if dtype.startswith("float"):  # mean: floating dtypes only (the standard)
            results.append(("mean", cp.mean(x), lambda: x.mean(dtype=np.float64)))
            results.append(("div", cp.div(x, y), lambda: x / y))
            v, w = x.reshape(-1)[:100_000], y.reshape(-1)[:100_000]
            results.append(("dot", cp.dot(v, w), lambda: np.dot(v.astype(np.float64), w)))
            k = int(rng.choice([8, 64, 200, 384]))
            a = make(rng, k * k, dtype, layout).reshape(-1)[: k * k].reshape(k, k)
            b = make(rng, k * k, dtype, "contiguous").reshape(k, k)
            a = a.T if layout == "transposed" else a
            results.append(("matmul", cp.matmul(a, b), lambda: a.astype(np.float64) @ b))
        with self.lock:
            self.counts["ops"] += len(results)
        if check:
            for name, got, want in results:
                if name in ("sum", "sum0") and dtype.startswith("int"):
                    ok = np.array_equal(np.asarray(got).astype(np.int64), want())
                else:
                    ok = close(got, want(), dtype)
                if not ok:
                    g, w = np.asarray(got).reshape(-1)[:3], np.asarray(want()).reshape(-1)[:3]
                    self.fail(
                        f"{name} {dtype} {layout} n={n}: wrong answer {g} != {w} "
                        f"(isa {cp.get_isa()}, threads {cp.get_num_threads()}, "
                        f"{threading.current_thread().name})"
                    )
            with self.lock:
                self.counts["checked"] += len(results)

    def background(self, seed: int, idle: threading.Event) -> None:
        """Parallel ops for the whole run (what forks, switches and signals land on)."""
        rng = np.random.default_rng(seed)
        try:
            while not self.stop.is_set():
                if self.pause.is_set():
                    idle.set()
                    while self.pause.is_set() and not self.stop.is_set():
                        time.sleep(0.001)
                    idle.clear()
                self.op_round(rng, check=rng.random() < 0.1, sizes=[100_000, 1_000_000])
        except BaseException as e:  # noqa: BLE001 (report any failure of a background thread)
            self.fail(f"background thread: {type(e).__name__}: {e}")

    # ---- events -------------------------------------------------------------------------

    def profile(self) -> None:
        with cp.profile(flamegraph=True) as prof:
            c0 = time.process_time()
            while time.process_time() - c0 < 0.05:
                self.op_round(self.rng, check=False, sizes=[1_000_000])
        if prof.folded:
            prof.flamegraph(self.tmp / "soak.svg")
        if "add" not in prof.ops:
            self.fail(f"profile recorded no add: {sorted(prof.ops)}")
        self.counts["profiles"] += 1

    def fork(self) -> None:
        profile = self.counts["forks"] % 4 == 0
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                signal.alarm(30)  # a hung child dies of SIGALRM
                # Another thread may have held these at the fork; only this thread goes on.
                self.lock, self.in_child = threading.Lock(), True
                rng = np.random.default_rng(self.counts["forks"])
                self.failures.clear()
                self.op_round(rng, check=True, sizes=[1000, 1_000_000])
                if profile:
                    with cp.profile(flamegraph=True) as prof:
                        c0 = time.process_time()
                        while time.process_time() - c0 < 0.03:
                            cp.sum(make(rng, 1_000_000, "float32", "contiguous"))
                    if prof.folded:
                        prof.flamegraph(self.tmp / "child.svg")
                code = 2 if self.failures else 0
            finally:
                os._exit(code)
        deadline = time.monotonic() + 60
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                _, status = os.waitpid(pid, 0)
                break
            time.sleep(0.002)
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            self.fail(f"forked child exited with {code} (-14: hung, killed by its alarm)")
        self.counts["forks"] += 1

    def threads(self) -> None:
        cp.set_num_threads(int(self.rng.choice([1, 2, 3, 4])))
        self.counts["threads"] += 1

    def isa(self) -> None:
        cp.set_isa(str(self.rng.choice(self.isas)))
        self.counts["isa"] += 1

    def ctrl_c(self) -> None:
        """SIGINT to this process 20-60 ms into a matmul of ~0.5 s: KeyboardInterrupt, caught."""
        a = np.ones((1024, 1024), np.float32)
        timer = threading.Timer(self.rng.uniform(0.02, 0.06), os.kill, (os.getpid(), signal.SIGINT))
        got = False
        timer.start()
        try:
            for _ in range(8):
                cp.matmul(a, a)
            time.sleep(1.0)  # the signal lands here if the products finished first
        except KeyboardInterrupt:
            got = True
        finally:
            timer.join()
        if not got:
            self.fail("SIGINT did not raise KeyboardInterrupt")
        r = cp.matmul(a[:64], a[:, :64])  # corepy still works
        if not np.all(np.asarray(r) == 1024):
            self.fail("matmul wrong after an interrupt")
        self.counts["ctrl_c"] += 1

    # ---- the run ------------------------------------------------------------------------

    def run(self) -> int:
        args = self.args
        duration = args.minutes * 60
        warmup = max(5.0, duration / 5)
        faulthandler.enable()
        # Python's Ctrl-C handler, as in a terminal: a background job (nohup, `make soak &`)
        # inherits SIGINT ignored, and Python then leaves it ignored.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        idles = [threading.Event(), threading.Event()]
        workers = [
            threading.Thread(target=self.background, args=(i, idle))
            for i, idle in enumerate(idles, 1)
        ]
        for t in workers:
            t.start()

        settle = np.ones(1_000_000, np.float32)

        def measure():
            """(RSS, live bytes, cached bytes) in one state: background threads idle, a pool of
            two threads (each pool thread keeps an arena) that has just run a parallel op."""
            self.pause.set()
            for idle in idles:
                idle.wait(timeout=args.hang_seconds)
            threads = cp.get_num_threads()
            try:
                cp.set_num_threads(2)
                cp.sum(settle)
                time.sleep(0.1)  # the threads of a replaced pool exit
                live, cached = corepy_live()
                return rss_bytes(), live, cached
            finally:
                cp.set_num_threads(threads)
                self.pause.clear()

        events = [self.profile, self.fork, self.threads, self.isa, self.ctrl_c]
        t0 = time.monotonic()
        next_report = t0
        rows: list[tuple[float, int, int, int]] = []  # (t, rss, live, cached)

        def report(now: float) -> None:
            row = (now, *measure())
            rows.append(row)
            _, rss, live, cached = row
            print(
                f"t={now:7.1f}s rss={rss / MIB:7.1f} MiB (outside the cache "
                f"{(rss - cached) / MIB:6.1f}) live={live / MIB:6.1f} MiB (cache "
                f"{cached / MIB:6.1f}, outside {(live - cached) / MIB:5.1f}) "
                f"threads={cp.get_num_threads()} isa={cp.get_isa():6s} {self.counts}",
                flush=True,
            )

        try:
            while True:
                now = time.monotonic() - t0
                faulthandler.dump_traceback_later(args.hang_seconds, exit=True)
                if now >= duration:
                    cp.set_isa("auto")
                    report(now)
                    break
                self.op_round(self.rng, check=True)
                if args.inject == "hang" and now > 1:
                    threading.Event().wait()  # the watchdog must end the run
                events[self.counts["rounds"] % len(events)]()
                self.counts["rounds"] += 1
                if time.monotonic() >= next_report:
                    next_report += args.report_every
                    report(now)
        finally:
            self.stop.set()
            for t in workers:
                t.join(timeout=60)
            faulthandler.cancel_dump_traceback_later()
            cp.set_isa("auto")
            shutil.rmtree(self.tmp, ignore_errors=True)
        return self.verdict(rows, warmup)

    def verdict(self, rows: list[tuple[float, int, int, int]], warmup: float) -> int:
        """Memory after the warm-up against memory at the end, each the median of three reports
        (single reports swing by tens of MiB with whatever glibc and NumPy hold at that
        instant); the large-buffer cache, resident and up to 256 MiB by design, is left out."""
        args = self.args
        after = [r for r in rows if r[0] >= warmup] or rows[-1:]
        first, last = after[:3], after[-3:]

        def med(rs, f):
            return float(np.median([f(r) for r in rs])) / MIB

        rss_out = lambda r: r[1] - r[3]  # noqa: E731
        live_out = lambda r: r[2] - r[3]  # noqa: E731
        rss_growth = med(last, rss_out) - med(first, rss_out)
        live_growth = med(last, live_out) - med(first, live_out)
        c = self.counts
        print(
            f"\nsoak: {rows[-1][0] / 60:.1f} min, {c['rounds']} rounds, {c['ops']} ops "
            f"({c['checked']} checked against NumPy), {c['profiles']} flamegraph profiles, "
            f"{c['forks']} forks, {c['threads']} thread-count and {c['isa']} ISA switches, "
            f"{c['ctrl_c']} Ctrl-C; {len(self.failures)} failures\n"
            f"  RSS:   start {rows[0][1] / MIB:.1f} MiB, end {rows[-1][1] / MIB:.1f} MiB; "
            f"outside the cache {med(first, rss_out):.1f} MiB after the warm-up "
            f"(t={first[0][0]:.0f}s), {med(last, rss_out):.1f} MiB at the end: "
            f"{rss_growth:+.1f} MiB (tolerance {args.rss_tolerance_mb:g})\n"
            f"  live:  start {rows[0][2] / MIB:.1f} MiB, end {rows[-1][2] / MIB:.1f} MiB "
            f"(cache {rows[-1][3] / MIB:.1f}); outside the cache {med(first, live_out):.1f} "
            f"MiB after the warm-up, {med(last, live_out):.1f} MiB at the end: "
            f"{live_growth:+.1f} MiB (tolerance {args.live_tolerance_mb:g})",
            flush=True,
        )
        ok = True
        if self.failures:
            print("FAILED: " + "; ".join(self.failures[:10]), flush=True)
            ok = False
        if rss_growth > args.rss_tolerance_mb:
            print(f"FAILED: RSS grew {rss_growth:.1f} MiB after the warm-up", flush=True)
            ok = False
        if live_growth > args.live_tolerance_mb:
            print(f"FAILED: corepy's live bytes grew {live_growth:.1f} MiB", flush=True)
            ok = False
        return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--minutes", type=float, default=30.0, help="how long to run (default 30)")
    p.add_argument("--report-every", type=float, default=30.0, help="seconds between reports")
    p.add_argument("--rss-tolerance-mb", type=float, default=64.0)
    p.add_argument("--live-tolerance-mb", type=float, default=16.0)
    p.add_argument("--hang-seconds", type=float, default=120.0, help="watchdog timeout")
    p.add_argument("--seed", type=int, default=20)
    p.add_argument("--inject", choices=["hang"], help="plant a fault (to test the watchdog)")
    args = p.parse_args(argv)
    return Soak(args).run()


if __name__ == "__main__":
    sys.exit(main())
