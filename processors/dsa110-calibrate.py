#!/usr/bin/env python3
"""Calibration adapters for the DSA-110 calibration CLI (contract: processors/README.md).

  dsa110-calibrate.py solve MS...   calibration_solve: `python -m dsa110_contimg.calibration.cli calibrate --ms MS
                                    --refant R (--field F | --auto-fields [--cal-catalog C] [--pt-dec-deg D])`,
                                    then declares the calibration tables the CLI wrote (new CASA tables next to the
                                    MS or in the output directory), in application order (K, B, G).
  dsa110-calibrate.py apply MS...   calibration_apply: `... apply --ms MS --field F --tables T...` with the tables of
                                    --tables, else the stage parameter `tables` (comma-separated), else the outputs
                                    of calibration_solve in this execution; writes CORRECTED_DATA into the MS and
                                    declares the MS. With no tables: fails (exit 3), or passes the MS on uncalibrated
                                    when the parameter if_no_tables=continue (metric calibrated=false; the WSClean
                                    adapter then images DATA).

Unverified against a live installation: the DSA-110 pipeline is not installable here; the CLI's argument names are
those of the dsa110-contimg repository. Exit codes: 0 ok; 2 bad arguments; 3 no MS / no tables; 4 interpreter or
dsa110_contimg missing; 5 the CLI failed; 6 solve wrote no table.
"""

import argparse
import os
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the installation directory
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from contimg_exec import (EXIT_ARGS, EXIT_INPUT, EXIT_NO_OUTPUT, Failure, is_table, main_guard,  # noqa: E402
                          output_dir, param, params_from_env, require_python_module, run_tool, tables_in,
                          write_manifest)

MODULE = "dsa110_contimg.calibration.cli"
# application order of table kinds (science.md: K 10, BA 20, BP 30, GA 40, GP 50, 2G 60), matched on the name
ORDER = [("kcal", 10), ("bacal", 20), ("bpcal", 30), ("bcal", 30), ("gacal", 40), ("gpcal", 50), ("2gcal", 60),
         ("gcal", 40)]


def table_rank(path):
    name = os.path.basename(path).lower()
    for key, rank in ORDER:
        if name.endswith(key) or ("_" + key) in name or ("." + key) in name:
            return rank
    return 100


def parse_args(argv):
    p = argparse.ArgumentParser(description="Run the DSA-110 calibration CLI as a hub stage.")
    p.add_argument("action", choices=["solve", "apply"])
    p.add_argument("inputs", nargs="+", help="Measurement Set(s); other inputs are ignored with a note")
    p.add_argument("--python", help="interpreter with dsa110_contimg installed (default $DSA110_PYTHON, python3)")
    p.add_argument("--output-dir", help="default $CONTIMG_OUTPUT_DIR, else .")
    p.add_argument("--refant", help="reference antenna (param refant, default 103)")
    p.add_argument("--field", help="calibrator field (solve: default --auto-fields; apply: param field, default '')")
    p.add_argument("--cal-catalog", help="calibrator catalog for --auto-fields (param cal_catalog)")
    p.add_argument("--tables", nargs="+", help="apply: calibration tables (else param tables / the solve outputs)")
    p.add_argument("--extra", action="append", default=[], help="one extra CLI argument (repeatable)")
    return p.parse_args(argv)


def measurement_sets(inputs):
    ms = []
    for p in inputs:
        p = os.path.abspath(p.rstrip("/"))
        if is_table(p) and os.path.isdir(os.path.join(p, "SPECTRAL_WINDOW")):
            ms.append(p)
        else:
            print(f"note: ignoring input {p}: not a Measurement Set", file=sys.stderr)
    if not ms:
        raise Failure(EXIT_INPUT, "no Measurement Set among the inputs")
    return ms


def solve(args, params, cli_python, out):
    ms_list = measurement_sets(args.inputs)
    python = cli_python()
    refant = args.refant or param(params, "refant", str, "103")
    field = args.field or param(params, "field", str, None)
    catalog = args.cal_catalog or param(params, "cal_catalog", str, None)
    started = time.time()
    dirs = {out} | {os.path.dirname(m) for m in ms_list}
    before = {}
    for d in dirs:
        before.update(tables_in(d))
    for ms in ms_list:
        cmd = [python, "-m", MODULE, "calibrate", "--ms", ms, "--refant", refant]
        if field:
            cmd += ["--field", field]
        else:
            cmd.append("--auto-fields")
            if catalog:
                cmd += ["--cal-catalog", catalog]
            dec = param(params, "pointing_dec_deg", float, None)
            if dec is not None:
                cmd += ["--pt-dec-deg", repr(dec)]
        run_tool(cmd + args.extra, cwd=out)
    written = []
    for d in dirs:
        for path, mtime in tables_in(d).items():
            if path in ms_list:
                continue
            if path not in before or mtime >= started - 1:
                written.append(path)
    if not written:
        raise Failure(EXIT_NO_OUTPUT, f"{MODULE} calibrate finished but no new calibration table appeared in "
                                      + ", ".join(sorted(dirs)))
    written.sort(key=lambda p: (table_rank(p), p))
    write_manifest(out, written, {"tables": len(written), "refant": refant},
                   extra={"measurement_sets": ms_list})
    return 0


def apply(args, params, cli_python, out):
    ms_list = measurement_sets(args.inputs)
    tables = args.tables
    if not tables:
        given = param(params, "tables", str, None)
        if given:
            tables = [t.strip() for t in given.split(",") if t.strip()]
    if not tables:
        upstream = params.get("upstream.calibration_solve")
        if isinstance(upstream, list):
            tables = [t for t in upstream if is_table(t)]
    if not tables:
        mode = param(params, "if_no_tables", str, "fail").lower()
        if mode not in ("fail", "continue"):
            raise Failure(EXIT_ARGS, f"stage parameter if_no_tables={mode!r}: use fail or continue")
        if mode == "fail":
            raise Failure(EXIT_INPUT, "no calibration tables to apply (none given, none solved in this execution); "
                                      "set if_no_tables=continue to image uncalibrated data")
        print("warning: no calibration tables; passing the data on uncalibrated", file=sys.stderr, flush=True)
        write_manifest(out, ms_list, {"calibrated": False, "tables": 0})
        return 0
    missing = [t for t in tables if not is_table(t)]
    if missing:
        raise Failure(EXIT_INPUT, "calibration table(s) not found: " + ", ".join(missing))
    tables = sorted(tables, key=lambda p: (table_rank(p), tables.index(p)))
    field = args.field if args.field is not None else param(params, "field", str, "")
    python = cli_python()
    for ms in ms_list:
        run_tool([python, "-m", MODULE, "apply", "--ms", ms, "--field", field, "--tables", *tables] + args.extra,
                 cwd=out)
    write_manifest(out, ms_list, {"calibrated": True, "tables": len(tables)}, extra={"applied_tables": tables})
    return 0


def run(argv):
    args = parse_args(argv)
    params = params_from_env()
    out = output_dir(args.output_dir)

    def cli_python():  # checked only when the CLI is about to run (apply with if_no_tables=continue needs none)
        return require_python_module(args.python or os.environ.get("DSA110_PYTHON") or "python3", MODULE)

    return solve(args, params, cli_python, out) if args.action == "solve" else apply(args, params, cli_python, out)


if __name__ == "__main__":
    sys.exit(main_guard(run, sys.argv[1:]))
