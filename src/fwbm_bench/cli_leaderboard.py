"""Leaderboard commands of the command line: show, compare, export, report, validate."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

DEFAULT_STORE = "results/leaderboard.zarr"


def _format(value) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (float, np.floating)):
        return f"{value:.3f}" if np.isfinite(value) else "–"
    return str(value)


def text_table(frame) -> str:
    """A fixed-width text table of a DataFrame (numbers to 3 decimals, NaN as –)."""
    cells = [[str(c) for c in frame.columns]] + [[_format(v) for v in row] for row in frame.itertuples(index=False)]
    widths = [max(len(row[k]) for row in cells) for k in range(len(cells[0]))]
    lines = ["  ".join(cell.ljust(w) if k == 0 else cell.rjust(w) for k, (cell, w) in enumerate(zip(row, widths)))
             for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(frame) -> str:
    rows = [[str(c) for c in frame.columns]] + [[_format(v) for v in row] for row in frame.itertuples(index=False)]
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    lines.insert(1, "|" + "|".join("---" for _ in rows[0]) + "|")
    return "\n".join(lines)


def _output_file(path) -> Path:
    """``-o`` must name a file (its folder is created), not an existing directory."""
    from fwbm_bench.errors import ConfigError

    if Path(path).is_dir():
        raise ConfigError(f"-o {path}: expected a file to write, found a directory")
    return Path(path)


def _open(store):
    from fwbm_bench.leaderboard import open_leaderboard

    return open_leaderboard(store)


def _ranking(ds, sort: str, with_benchmarks: bool):
    from fwbm_bench.errors import ConfigError
    from fwbm_bench.leaderboard import leaderboard_table

    table = leaderboard_table(ds)
    keep = ["entry", "overall", "coverage", *[str(c) for c in ds.criterion.values], "qualifies"]
    if with_benchmarks:
        keep += [str(b) for b in ds.benchmark.values]
    table = table[keep]
    if sort not in table.columns:
        raise ConfigError(f"--sort: no column '{sort}' (columns: {', '.join(table.columns)})")
    return table.sort_values(sort, ascending=sort == "entry", kind="stable").reset_index(drop=True)


def show(args) -> None:
    """Ranking in the terminal: overall, coverage, criteria, qualifies (and benchmarks); then
    one line per entry that failed, with why (``entry_status``)."""
    from fwbm_bench.leaderboard.tables import entry_statuses

    ds = _open(args.store)
    print(text_table(_ranking(ds, args.sort, args.benchmarks)))
    for entry, status in zip(ds.entry.values, entry_statuses(ds)):
        if status != "ok":
            print(f"{entry}: {status}")


def compare(args) -> None:
    """Two entries side by side: criteria, then every benchmark, with B - A."""
    import pandas as pd

    from fwbm_bench.errors import ConfigError

    if args.a == args.b:
        raise ConfigError(f"compare needs two different entries, found '{args.a}' twice")
    ds = _open(args.store)
    for name in (args.a, args.b):
        if name not in ds.entry.values:
            raise ConfigError(f"entry '{name}' is not in {args.store} (entries: {', '.join(map(str, ds.entry.values))})")
    rows = [("overall", float(ds.overall.sel(entry=args.a)), float(ds.overall.sel(entry=args.b)))]
    rows += [(str(c), float(ds.criterion_score.sel(entry=args.a, criterion=c)),
              float(ds.criterion_score.sel(entry=args.b, criterion=c))) for c in ds.criterion.values]
    rows += [(str(b), float(ds.benchmark_score.sel(entry=args.a, benchmark=b)),
              float(ds.benchmark_score.sel(entry=args.b, benchmark=b))) for b in ds.benchmark.values]
    frame = pd.DataFrame(rows, columns=["score", "A", "B"])
    frame["B - A"] = frame["B"] - frame["A"]
    print(f"A = {args.a}\nB = {args.b}\n")
    print(text_table(frame))


def export(args) -> None:
    """The ranking with every benchmark as csv, markdown or json, to a file or stdout."""
    table = _ranking(_open(args.store), "overall", with_benchmarks=True)
    if args.format == "csv":
        text = table.to_csv(index=False, float_format="%.4f")
    elif args.format == "md":
        text = markdown_table(table) + "\n"
    else:
        text = json.dumps(json.loads(table.to_json(orient="records")), indent=1) + "\n"
    if args.output:
        _output_file(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(text)
    else:
        print(text, end="")


def report(args) -> None:
    from fwbm_bench.report import write_report

    write_report(_open(args.store), _output_file(args.output), figure_dir=Path(args.output).parent)
    print(f"wrote {args.output}")


def validate(args) -> None:
    """Check a config file against the schema and the registries, as the workflow does, and
    read every subject of the user datasets it names (each file checked, as the run would)."""
    from fwbm_bench.config import load_config_file
    from fwbm_bench.connectome.variants import connectome_pairs
    from fwbm_bench.data import dataset_of, load_subject

    config = load_config_file(args.config)
    user_subjects = [s for s in config["subjects"] if dataset_of(s) in config["user_datasets"]]
    for subject in user_subjects:
        load_subject(subject, config["user_datasets"])
    print(f"{args.config}: valid ({len(config['subjects'])} subjects, {len(connectome_pairs(config))} (subject, "
          f"connectome) pairs, {len(config['entries'])} entries, {len(config['tasks'])} tasks; "
          f"{len(user_subjects)} user subjects read)")


def add_parsers(sub) -> dict:
    """Register the leaderboard commands on ``sub``; returns name -> function."""
    parser = sub.add_parser("show", help="print the leaderboard as a table")
    parser.add_argument("store", nargs="?", default=DEFAULT_STORE)
    parser.add_argument("--sort", default="overall", help="column to sort by (overall, coverage, C1 ... U, entry, ...)")
    parser.add_argument("--benchmarks", action="store_true", help="add a column per benchmark")
    parser = sub.add_parser("compare", help="compare two entries benchmark by benchmark")
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("--store", default=DEFAULT_STORE)
    parser = sub.add_parser("export", help="export the leaderboard as csv, md or json")
    parser.add_argument("store", nargs="?", default=DEFAULT_STORE)
    parser.add_argument("--format", choices=("csv", "md", "json"), default="csv")
    parser.add_argument("-o", "--output", help="file to write (default: standard output)")
    parser = sub.add_parser("report", help="write the HTML report of a leaderboard")
    parser.add_argument("store", nargs="?", default=DEFAULT_STORE)
    parser.add_argument("-o", "--output", default="results/report/index.html")
    parser = sub.add_parser("validate", help="check a config file (schema and registries) and the user data it names")
    parser.add_argument("config")
    return {"show": show, "compare": compare, "export": export, "report": report, "validate": validate}
