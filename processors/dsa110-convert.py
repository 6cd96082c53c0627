#!/usr/bin/env python3
"""Conversion adapter: runs the DSA-110 conversion CLI on one group's subband files (contract: processors/README.md).

The legacy CLI (`python -m dsa110_contimg.conversion.cli groups INPUT_DIR OUTPUT_DIR START END ...`) discovers
complete 16-subband groups by file name inside a directory and a time window; the hub instead hands a stage the
exact files of one group. This adapter bridges the two: it links the group's files into <output_dir>/input/, runs
the CLI on that directory and the window spanning the files' timestamps, and declares the Measurement Set(s) the
CLI wrote in manifest.json. Unverified against a live installation: the DSA-110 pipeline is not installable here;
the CLI's argument names are those of the dsa110-contimg repository.

Exit codes: 0 ok; 2 bad arguments; 3 no usable subband file; 4 interpreter or dsa110_contimg missing;
5 the CLI failed; 6 the CLI wrote no Measurement Set.
"""

import argparse
import datetime as dt
import os
import re
import shutil
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the installation directory
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from contimg_exec import (EXIT_INPUT, EXIT_NO_OUTPUT, Failure, is_table, main_guard, output_dir,  # noqa: E402
                          param, params_from_env, require_python_module, run_tool, tables_in, write_manifest)

MODULE = "dsa110_contimg.conversion.cli"
NAME = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})_sb(\d{2})\.hdf5$")


def parse_args(argv):
    p = argparse.ArgumentParser(description="Convert one group's UVH5 subband files with the DSA-110 CLI.")
    p.add_argument("files", nargs="+", help="the group's subband files (YYYY-MM-DDTHH:MM:SS_sbNN.hdf5)")
    p.add_argument("--python", help="interpreter with dsa110_contimg installed (default $DSA110_PYTHON, python3)")
    p.add_argument("--output-dir", help="default $CONTIMG_OUTPUT_DIR, else .")
    p.add_argument("--writer", help="CLI --writer (default parallel-subband; param writer)")
    p.add_argument("--max-workers", type=int, help="CLI --max-workers (default 4; param max_workers)")
    p.add_argument("--scratch-dir", help="CLI --scratch-dir (param scratch_dir)")
    p.add_argument("--no-stage-to-tmpfs", action="store_true", help="pass --no-stage-to-tmpfs (param stage_to_tmpfs)")
    p.add_argument("--extra", action="append", default=[], help="one extra CLI argument (repeatable)")
    return p.parse_args(argv)


def run(argv):
    args = parse_args(argv)
    params = params_from_env()
    out = output_dir(args.output_dir)
    python = require_python_module(args.python or os.environ.get("DSA110_PYTHON") or "python3", MODULE)

    stamps = []
    files = []
    for f in args.files:
        m = NAME.match(os.path.basename(f))
        if not m or not os.path.isfile(f):
            print(f"note: ignoring {f}: not an existing YYYY-MM-DDTHH:MM:SS_sbNN.hdf5 file", file=sys.stderr)
            continue
        files.append(os.path.abspath(f))
        stamps.append(dt.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S"))
    if not files:
        raise Failure(EXIT_INPUT, "no subband file among the inputs")

    staging = os.path.join(out, "input")
    shutil.rmtree(staging, ignore_errors=True)
    os.makedirs(staging)
    for f in files:
        os.symlink(f, os.path.join(staging, os.path.basename(f)))
    for stale in tables_in(out):  # an earlier attempt's MS must not pass for this one's
        shutil.rmtree(stale)

    fmt = "%Y-%m-%d %H:%M:%S"
    start = (min(stamps) - dt.timedelta(seconds=1)).strftime(fmt)
    end = (max(stamps) + dt.timedelta(seconds=1)).strftime(fmt)
    writer = args.writer or param(params, "writer", str, "parallel-subband")
    workers = args.max_workers or param(params, "max_workers", int, 4)
    cmd = [python, "-m", MODULE, "groups", staging, out, start, end, "--writer", writer,
           "--max-workers", str(workers)]
    scratch = args.scratch_dir or param(params, "scratch_dir", str, None)
    if scratch:
        cmd += ["--scratch-dir", scratch]
    if args.no_stage_to_tmpfs or not param(params, "stage_to_tmpfs", bool, True):
        cmd.append("--no-stage-to-tmpfs")
    cmd += args.extra
    seconds = run_tool(cmd, cwd=out)

    written = sorted(p for p in tables_in(out) if p.endswith(".ms"))
    if not written:
        raise Failure(EXIT_NO_OUTPUT, f"{MODULE} finished but wrote no *.ms in {out} (the legacy CLI only "
                                      "converts complete 16-subband groups)")
    shutil.rmtree(staging, ignore_errors=True)
    write_manifest(out, written, {"subbands": len(files), "measurement_sets": len(written),
                                  "cli_seconds": round(seconds, 3), "writer": writer},
                   extra={"command": cmd})
    for p in written:
        print(f"wrote {p}" + ("" if is_table(p) else " (not a CASA table?)"), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main_guard(run, sys.argv[1:]))
