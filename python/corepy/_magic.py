"""``%load_ext corepy`` registers the ``%%corepy_profile`` cell magic.

    %%corepy_profile --name base -f      profile the cell, keep it as "base"
    %%corepy_profile --diff base         profile the cell, show it against "base"

Named profiles live in the notebook's namespace, ``_corepy_profiles`` ({name: ProfileResult}),
so they can be read, deleted or saved like any variable; the last cell's profile is
``_corepy_profile`` and the last comparison ``_corepy_diff``.
"""

from __future__ import annotations

import argparse
import shlex

from .profile import Profile, ProfileResult

STORE = "_corepy_profiles"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would call sys.exit
        from IPython.core.error import UsageError

        raise UsageError(f"%%corepy_profile: {message}\n{self.format_usage()}")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="%%corepy_profile", add_help=False)
    p.add_argument("-f", "--flamegraph", action="store_true", help="sample stacks")
    p.add_argument("--hz", type=int, default=997, help="sampling rate")
    p.add_argument("-n", "--name", help="keep this profile under NAME for a later --diff")
    p.add_argument("-d", "--diff", metavar="NAME", help="compare with the profile named NAME")
    return p


def corepy_profile(line: str, cell: str, ipython) -> None:
    """Profiles the cell and displays the result. Options: ``--flamegraph`` (``-f``),
    ``--hz N``, ``--name NAME`` (keep it), ``--diff NAME`` (show per-op and per-line deltas
    against NAME and, when NAME has samples, the differential flamegraph; the cell is then
    sampled too, at NAME's rate)."""
    from IPython.core.error import UsageError
    from IPython.display import display

    args = _parser().parse_args(shlex.split(line))
    store: dict[str, ProfileResult] = ipython.user_ns.setdefault(STORE, {})
    base = None
    if args.diff is not None:
        base = store.get(args.diff)
        if base is None:
            known = ", ".join(sorted(store)) or "none yet; name one with --name"
            raise UsageError(f"%%corepy_profile --diff: no profile named {args.diff!r} ({known})")
    flame, hz = args.flamegraph, args.hz
    if base is not None and base.samples and not flame:
        # A differential flamegraph needs samples on both sides.
        flame, hz = True, base.hz or hz
    name = args.name or ("this cell" if base is not None else "%%corepy_profile")
    with Profile(flamegraph=flame, hz=hz, name=name) as prof:
        ipython.run_cell(cell)
    ipython.user_ns["_corepy_profile"] = prof
    if args.name:
        store[args.name] = prof
    if base is None:
        display(prof)
        return
    diff = prof.diff(base)
    ipython.user_ns["_corepy_diff"] = diff
    display(diff)


def load_ipython_extension(ipython) -> None:
    ipython.register_magic_function(
        lambda line, cell: corepy_profile(line, cell, ipython),
        magic_kind="cell",
        magic_name="corepy_profile",
    )
