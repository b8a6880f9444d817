"""Command line: ``fwbm-bench datasets | models | entries | variants`` (listings, one line
per registered item) and ``show | compare | export | report | validate`` (leaderboards and
configs, :mod:`fwbm_bench.cli_leaderboard`).
"""

from __future__ import annotations

import argparse
import os
import sys

from fwbm_bench.cli_leaderboard import add_parsers
from fwbm_bench.errors import FwbmError


def _datasets(_args) -> None:
    from fwbm_bench.data import get_dataset, shipped_dataset_names

    for name in shipped_dataset_names():
        try:
            dataset = get_dataset(name)
            count = f"{len(dataset.subject_ids())} subjects"
        except FwbmError as error:
            print(f"{name:10s} unavailable: {error}")
            continue
        card = dataset.card
        tr = f"TR {card.tr_s} s" if card.tr_s else "no BOLD"
        print(f"{name:10s} {count}, {card.parcellation}, {tr}: {card.description}")


def _models(_args) -> None:
    from fwbm_bench.models import MODELS

    for name, model in MODELS.items():
        print(f"{name:10s} {model.description} [{len(model.parameters)} parameters]{_plugin_source(MODELS, name)}")


def _entries(_args) -> None:
    from fwbm_bench.entries import ENTRIES

    for name, entry in ENTRIES.items():
        print(f"{name:28s} {entry.kind:8s} {entry.description}{_plugin_source(ENTRIES, name)}")


def _plugin_source(registry, name: str) -> str:
    from fwbm_bench.plugin_registry import BUILT_IN

    source = registry.source(name)
    return "" if source == BUILT_IN else f" [from {source}]"


def _variants(_args) -> None:
    from fwbm_bench.connectome import BUILTIN_LESIONS, GRAMMAR

    print(f"connectome variants: {GRAMMAR}")
    print("built-in lesions (lesion-<name>; add your own under the config key 'lesions'):")
    for name, spec in BUILTIN_LESIONS.items():
        print(f"  {name:18s} {spec['description']}")


COMMANDS = {
    "datasets": (_datasets, "list the shipped datasets (subject ids are '<dataset>-<id>')"),
    "models": (_models, "list the registered node models (built in and from installed plugins)"),
    "entries": (_entries, "list the leaderboard entries (built in and from installed plugins)"),
    "variants": (_variants, "list the connectome variant names and the built-in lesions"),
}


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage mistake on one line (what is wrong, and where to find the usage)."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (usage: {self.prog} --help)\n")


def main(argv=None) -> int:
    parser = _Parser(prog="fwbm-bench", description="fwbm-bench: benchmark functional whole-brain models")
    sub = parser.add_subparsers(dest="command", required=True)
    functions = {}
    for name, (function, help_text) in COMMANDS.items():
        sub.add_parser(name, help=help_text)
        functions[name] = function
    functions.update(add_parsers(sub))
    args = parser.parse_args(argv)
    try:
        functions[args.command](args)
        sys.stdout.flush()  # inside the try: a closed pipe surfaces here, not at interpreter exit
    except FwbmError as error:
        print(f"fwbm-bench: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into `head` and the like
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as error:  # a file to read or write that cannot be (a directory, no permission)
        print(f"fwbm-bench: {error.filename or args.command}: could not be read or written "
              f"({error.strerror or error})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
