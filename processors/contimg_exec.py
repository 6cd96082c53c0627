"""The exec-executor side of every processors/ adapter (Python standard library only).

The hub runs an adapter in the stage's output directory with CONTIMG_STAGE, CONTIMG_GROUP_ID,
CONTIMG_EXECUTION_ID, CONTIMG_ATTEMPT, CONTIMG_OUTPUT_DIR, CONTIMG_INPUTS (newline-separated) and
CONTIMG_PARAMS_JSON set, captures stdout/stderr line by line, treats exit 0 as success and reads
<output_dir>/manifest.json ({"outputs": [...], "metrics": {...}}). The helpers here keep the adapters to that
contract: one exit-code table, stage parameters from the environment, tool runs whose output streams straight into
the stage log, CASA table discovery, and an atomic manifest written last.
"""

import importlib.util
import json
import math
import os
import shutil
import subprocess
import sys
import time

# Exit codes shared by all adapters (processors/README.md).
EXIT_OK = 0
EXIT_ARGS = 2       # bad arguments or stage parameters
EXIT_INPUT = 3      # unusable input (missing, not the expected kind, nothing to do)
EXIT_TOOL = 4       # the wrapped tool (or a module it needs) is not installed
EXIT_TOOL_FAILED = 5  # the wrapped tool exited non-zero
EXIT_NO_OUTPUT = 6  # the tool succeeded but the expected products are missing


class Failure(Exception):
    """An adapter failure: the message goes to stderr (the hub's stage error), the code is the exit status."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def params_from_env():
    """Stage parameters (hub.stage.<stage>.param.*, group facts, upstream.<stage> outputs) from the hub."""
    raw = os.environ.get("CONTIMG_PARAMS_JSON", "").strip()
    if not raw:
        return {}
    try:
        doc = json.loads(raw)
    except ValueError as e:
        raise Failure(EXIT_ARGS, f"CONTIMG_PARAMS_JSON is not JSON: {e}")
    return doc if isinstance(doc, dict) else {}


def output_dir(given=None):
    d = os.path.abspath(given or os.environ.get("CONTIMG_OUTPUT_DIR") or ".")
    os.makedirs(d, exist_ok=True)
    return d


def param(params, key, cast=str, default=None):
    """A stage parameter converted with cast (config values arrive as strings); default when absent or empty."""
    v = params.get(key)
    if v is None or v == "":
        return default
    try:
        if cast is bool:
            s = str(v).strip().lower()
            if s in ("1", "true", "yes", "on"):
                return True
            if s in ("0", "false", "no", "off"):
                return False
            raise ValueError(v)
        return cast(v)
    except (TypeError, ValueError):
        raise Failure(EXIT_ARGS, f"stage parameter {key}={v!r} is not a valid {cast.__name__}")


def is_table(path):
    """A CASA table (a Measurement Set or a calibration table) is a directory holding table.dat."""
    return os.path.isdir(path) and os.path.isfile(os.path.join(path, "table.dat"))


def tables_in(directory):
    """{path: mtime of table.dat} for the CASA tables directly inside directory."""
    out = {}
    try:
        names = os.listdir(directory)
    except OSError:
        return out
    for n in names:
        p = os.path.join(directory, n)
        if is_table(p):
            out[p] = os.path.getmtime(os.path.join(p, "table.dat"))
    return out


def require_python_module(python, module):
    """Fails with EXIT_TOOL unless `python` exists and can find `module` (without importing it)."""
    exe = shutil.which(python)
    if exe is None:
        raise Failure(EXIT_TOOL, f"python interpreter {python!r} not found")
    probe = ("import importlib.util, sys; "
             f"sys.exit(0 if importlib.util.find_spec({module.split('.')[0]!r}) else 1)")
    if subprocess.run([exe, "-c", probe]).returncode != 0:
        raise Failure(EXIT_TOOL, f"{python} cannot find the module {module} (is the DSA-110 pipeline installed "
                                 "in that environment?)")
    return exe


def run_tool(cmd, cwd=None, env=None):
    """Runs a tool with its stdout/stderr going straight to ours (the hub logs each line); fails on exit != 0."""
    print("$ " + " ".join(cmd), flush=True)
    started = time.time()
    rc = subprocess.run(cmd, cwd=cwd, env=env).returncode
    if rc != 0:
        raise Failure(EXIT_TOOL_FAILED, f"{os.path.basename(cmd[0])} {' '.join(cmd[1:3])} exited with code {rc}")
    return time.time() - started


def write_manifest(out_dir, outputs, metrics, extra=None):
    """Writes <out_dir>/manifest.json atomically; non-finite numbers and None metrics are left out."""
    clean = {k: v for k, v in metrics.items()
             if v is not None and not (isinstance(v, float) and not math.isfinite(v))}
    doc = {"outputs": list(outputs), "metrics": clean}
    if extra:
        doc.update(extra)
    path = os.path.join(out_dir, "manifest.json")
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2, allow_nan=False)
        f.write("\n")
    os.replace(tmp, path)
    return path


def main_guard(run, argv):
    """Runs an adapter's run(argv), turning a Failure into 'error: ...' on stderr and its exit code."""
    try:
        return run(argv)
    except Failure as f:
        print(f"error: {f}", file=sys.stderr, flush=True)
        return f.code


def module_available(name):
    return importlib.util.find_spec(name) is not None
