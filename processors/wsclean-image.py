#!/usr/bin/env python3
"""WSClean imaging adapter for the hub's exec stage executor (contract: processors/README.md).

Images one or more CASA Measurement Sets, or the hub's UVFITS (converted first to an MS v2 next to the images with
contimg_ms.py: python-casacore and astropy), with the pipeline's parameters

    wsclean -weight briggs 0 -niter 100000 -nmiter 30 -gain 0.1 -mgain 0.8 -auto-mask 5 -auto-threshold 3 -pol I
            -data-column CORRECTED_DATA (DATA when the MS has no CORRECTED_DATA)
            -size N N -scale CELLasec -use-wgridder [-field all] [-threshold JY]

Deconvolution to the noise with the builtin imager's settings, read from the same stage parameters
(hub.stage.imaging.param.*): gain, major-gain (-mgain), mask-sigma (-auto-mask), threshold-sigma
(-auto-threshold), threshold-jy (-threshold when > 0), max-major-cycles (-nmiter) and niter, safety caps as for
the builtin (a full-size image needs some 20 000 iterations to reach 3 sigma; the earlier fixed 1000 stopped far
above the noise).

with the cell and image size from science.md: cell = (0.5 * lambda / u_max, in arcsec) / 5 clipped to 0.1-60",
size = ceil(fov / cell) rounded up to even (fov 3.5 deg), u_max the longest unflagged projected baseline at the
highest frequency, read from the MS with python3-casacore (or --size/--scale given). Then it writes a primary-beam
corrected copy (the DSA-110 Airy beam averaged over the drift scan's pointings with the data's weights, as the
builtin imaging does) and <output_dir>/manifest.json naming the image the next stages use.

-field all is added when the MS has several fields sharing one phase centre (the hub's conversion writes one field
per integration, all phased to the group's ICRS centre); WSClean images only field 0 otherwise. The wgridder is
WSClean's accurate gridder (to 1e-5 over the whole image; the default w-stacking gridder lost 3.4 % of the flux
of a source 1.3 deg from the centre of a 2.7 deg image of the reference group, docs/conventions.md).

Exit codes: 0 success; 2 bad arguments; 3 unusable input (no MS or UVFITS, unreadable, no unflagged data, no data
column); 4 a required tool is missing (wsclean, python3-casacore, python3-astropy for UVFITS); 5 wsclean failed;
6 wsclean wrote no image; 1 other.
"""

import argparse
import math
import os
import resource
import shutil
import subprocess
import sys

import numpy as np

sys.dont_write_bytecode = True  # no __pycache__ in the installation directory
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from contimg_common import (C_M_S, header_dict, mean_airy_power, read_fits_image, robust_rms,  # noqa: E402
                            sin_lm_to_unit, unit_vectors, write_fits_image)
from contimg_exec import (EXIT_ARGS, EXIT_INPUT, EXIT_NO_OUTPUT, EXIT_TOOL, EXIT_TOOL_FAILED,  # noqa: E402
                          Failure, is_table, main_guard, module_available, param, params_from_env,
                          write_manifest)
import contimg_ms  # noqa: E402

EXIT_WSCLEAN, EXIT_NO_IMAGE = EXIT_TOOL_FAILED, EXIT_NO_OUTPUT


def parse_args(argv):
    p = argparse.ArgumentParser(description="Image Measurement Sets with WSClean using the pipeline's parameters.")
    p.add_argument("ms", nargs="+", help="input Measurement Set(s) or UVFITS file(s); other inputs are ignored "
                                          "with a note")
    p.add_argument("--output-dir", help="where images and manifest.json go (default $CONTIMG_OUTPUT_DIR, else .)")
    p.add_argument("--name", help="image name prefix (default: the first MS's name without .ms)")
    p.add_argument("--size", type=int, help="image size in pixels (default: from the field of view and cell)")
    p.add_argument("--scale", type=float, help="cell size in arcsec (default: from u_max)")
    p.add_argument("--fov-deg", type=float, help="field of view (default 3.5)")
    p.add_argument("--niter", type=int, help="CLEAN iterations, a safety cap (default 100000)")
    p.add_argument("--threads", type=int, help="wsclean -j (default: all cores)")
    p.add_argument("--data-column", help="force a data column (default CORRECTED_DATA, else DATA)")
    p.add_argument("--field", help="wsclean -field (default: all when the fields share one phase centre, else 0)")
    p.add_argument("--gridder", choices=("wgridder", "wstacking"), help="WSClean gridder (default wgridder)")
    p.add_argument("--keep-ms", action="store_true", help="keep the MS converted from a UVFITS input")
    p.add_argument("--no-pbcor", action="store_true", help="skip the primary-beam corrected image")
    p.add_argument("--pb-limit", type=float, help="blank the pb-corrected image where the beam is below (0.1)")
    p.add_argument("--wsclean", help="wsclean binary (default $WSCLEAN, else wsclean on PATH)")
    p.add_argument("--extra", action="append", default=[], help="one extra wsclean argument (repeatable)")
    return p.parse_args(argv)


def setting(args, params, attr, key, cast, default):
    """A command-line option, else the stage parameter, else the default."""
    value = getattr(args, attr)
    return value if value is not None else param(params, key, cast, default)


def is_ms(path):
    return is_table(path) and os.path.isdir(os.path.join(path, "SPECTRAL_WINDOW"))


def inspect_ms(paths, forced_column):
    """(data column, u_max in wavelengths, max frequency Hz, unflagged rows) over all MSs."""
    try:
        from casacore.tables import table
    except ImportError:
        raise Failure(EXIT_TOOL, "python3-casacore is not installed (needed to read the MS); "
                                 "pass --size and --scale to image without it")
    columns = set()
    u_max = 0.0
    f_max = 0.0
    good_rows = 0
    for path in paths:
        if not os.path.isdir(os.path.join(path, "FIELD")):
            raise Failure(EXIT_INPUT, f"{path} has no FIELD table")
        try:
            ms = table(path, ack=False)
        except Exception as e:  # casacore raises RuntimeError for anything
            raise Failure(EXIT_INPUT, f"cannot open {path} as a Measurement Set: {e}")
        with ms:
            names = set(ms.colnames())
            col = forced_column or ("CORRECTED_DATA" if "CORRECTED_DATA" in names else "DATA")
            if col not in names:
                raise Failure(EXIT_INPUT, f"{path} has no {col} column")
            columns.add(col)
            with table(path + "/SPECTRAL_WINDOW", ack=False) as spw, \
                    table(path + "/DATA_DESCRIPTION", ack=False) as dd:
                spw_of_dd = dd.getcol("SPECTRAL_WINDOW_ID")
                chan_max = [float(np.max(spw.getcell("CHAN_FREQ", int(i)))) for i in range(spw.nrows())]
            step = 20000
            for start in range(0, ms.nrows(), step):
                n = min(step, ms.nrows() - start)
                uvw = ms.getcol("UVW", start, n)
                row_flag = ms.getcol("FLAG_ROW", start, n)
                try:
                    row_flag = row_flag | ms.getcol("FLAG", start, n).reshape(n, -1).all(axis=1)
                except RuntimeError:
                    # spectral windows of different widths in one chunk: FLAG has no single shape; FLAG_ROW only
                    pass
                ddid = ms.getcol("DATA_DESC_ID", start, n)
                keep = ~row_flag
                if not keep.any():
                    continue
                good_rows += int(keep.sum())
                f_row = np.array([chan_max[spw_of_dd[d]] for d in ddid[keep]])
                uv_lambda = np.hypot(uvw[keep, 0], uvw[keep, 1]) * f_row / C_M_S
                u_max = max(u_max, float(uv_lambda.max()))
                f_max = max(f_max, float(f_row.max()))
    if len(columns) > 1:
        raise Failure(EXIT_INPUT, f"the inputs disagree on the data column ({sorted(columns)}); "
                                  "pass --data-column")
    if good_rows == 0 or u_max <= 0:
        raise Failure(EXIT_INPUT, "no unflagged cross-correlation data in the input")
    return columns.pop(), u_max, f_max, good_rows


def shared_phase_centre(paths):
    """(number of fields, whether every field of every MS has the same PHASE_DIR)."""
    from casacore.tables import table
    dirs = []
    for path in paths:
        with table(path + "/FIELD", ack=False) as t:
            if t.nrows():
                dirs.extend(np.asarray(t.getcol("PHASE_DIR")).reshape(t.nrows(), -1)[:, :2].tolist())
    if not dirs:
        raise Failure(EXIT_INPUT, "the FIELD table is empty")
    d = np.asarray(dirs)
    return len(dirs), bool(np.all(np.abs(d - d[0]) < 1e-10))


def convert_uvfits(paths, out_dir):
    """The hub's UVFITS inputs as MS v2 in out_dir (contimg_ms.py); returns {uvfits: ms}."""
    if contimg_ms.casacore_tables() is None:
        raise Failure(EXIT_TOOL, "python3-casacore is not installed (needed to write the MS)")
    if not module_available("astropy"):
        raise Failure(EXIT_TOOL, "python3-astropy is not installed (needed to read UVFITS)")
    out = {}
    for p in paths:
        stem = os.path.basename(p)
        for ext in (".uvfits", ".UVFITS", ".fits", ".FITS"):
            if stem.endswith(ext):
                stem = stem[:-len(ext)]
                break
        ms = os.path.join(out_dir, stem + ".ms")
        try:
            summary = contimg_ms.uvfits_to_ms(p, ms)
        except contimg_ms.UnreadableInput as e:
            raise Failure(EXIT_INPUT, str(e))
        print(f"converted {p} -> {ms}: {summary['rows']} rows, {summary['channels']} channels, "
              f"{summary['fields']} fields, {summary['antennas']} antennas", flush=True)
        out[p] = ms
    return out


def cell_and_size(u_max_lambda, fov_deg):
    """science.md: cell = (0.5 * lambda / u_max in arcsec) / 5, clipped to 0.1-60"; size = ceil(fov / cell), even."""
    cell = math.degrees(0.5 / u_max_lambda) * 3600.0 / 5.0
    cell = min(60.0, max(0.1, cell))
    size = math.ceil(fov_deg * 3600.0 / cell - 1e-9)
    return cell, size + (size % 2)


def imaged_fields(field):
    """The FIELD_IDs wsclean images for its -field value (None: field 0, as wsclean does; "all": every one)."""
    if field is None:
        return {0}
    if str(field).strip().lower() == "all":
        return None
    try:
        return {int(f) for f in str(field).split(",")}
    except ValueError:
        raise Failure(EXIT_ARGS, f"field must be 'all' or field numbers separated by commas: {field!r}")


def beam_pointings(paths, field):
    """(unit vectors (n, 3), weights (n,), source) of the pointings the imaged data were taken at, each weighted by
    the summed weights of its unflagged cross-correlation samples (every channel and correlation): the weighting of
    the builtin imaging's BeamPointings.of, so both paths divide by the same effective beam.

    Pointings come from the POINTING table (the hub's UVFITS conversion writes one per field: the SU table's
    RAOBS/DECOBS, the integration's meridian), each row of the main table going to the pointing nearest its TIME;
    an MS without POINTING rows falls back to each field's PHASE_DIR (source "FIELD"), which for fields sharing
    one phase centre is the old correction about the phase centre."""
    from casacore.tables import table
    fields = imaged_fields(field)
    directions, weights, sources = [], [], set()
    for path in paths:
        with table(path + "/POINTING", ack=False) as t:
            n = t.nrows()
            p_time = t.getcol("TIME") if n else np.zeros(0)
            p_dir = np.asarray(t.getcol("DIRECTION")).reshape(n, -1)[:, :2] if n else np.zeros((0, 2))
        if n:
            times, inverse = np.unique(p_time, return_inverse=True)
            dirs = np.zeros((times.size, 3))
            np.add.at(dirs, inverse, unit_vectors(p_dir[:, 0], p_dir[:, 1]))  # antennas agree: the mean direction
            dirs /= np.linalg.norm(dirs, axis=1, keepdims=True)
            sources.add("POINTING")
        else:
            with table(path + "/FIELD", ack=False) as t:
                phase = np.asarray(t.getcol("PHASE_DIR")).reshape(t.nrows(), -1)[:, :2]
            dirs = unit_vectors(phase[:, 0], phase[:, 1])
            sources.add("FIELD")
        w = np.zeros(len(dirs))
        with table(path, ack=False) as ms:
            has_spectrum = "WEIGHT_SPECTRUM" in ms.colnames()
            total = ms.nrows()
            step = 4096  # rows per read: FLAG and the weights of 4096 rows of 768 channels x 2 are ~25 MB
            for start in range(0, total, step):
                count = min(step, total - start)
                field_id = ms.getcol("FIELD_ID", start, count)
                keep = ms.getcol("ANTENNA1", start, count) != ms.getcol("ANTENNA2", start, count)
                keep &= ~ms.getcol("FLAG_ROW", start, count)
                if fields is not None:
                    keep &= np.isin(field_id, list(fields))
                if not keep.any():
                    continue
                flag = ms.getcol("FLAG", start, count)
                if has_spectrum:
                    wt = ms.getcol("WEIGHT_SPECTRUM", start, count)
                else:
                    wt = np.broadcast_to(ms.getcol("WEIGHT", start, count)[:, None, :], flag.shape)
                per_row = np.where(flag | ~(wt > 0), 0.0, wt).reshape(count, -1).sum(axis=1, dtype=np.float64)
                if n:
                    t = ms.getcol("TIME", start, count)
                    k = np.clip(np.searchsorted(times, t), 1, max(1, times.size - 1))
                    nearest = np.where(np.abs(t - times[k - 1]) <= np.abs(t - times[np.minimum(k, times.size - 1)]),
                                       k - 1, np.minimum(k, times.size - 1))
                else:
                    nearest = field_id
                np.add.at(w, nearest[keep], per_row[keep])
        directions.append(dirs)
        weights.append(w)
    d = np.concatenate(directions)
    w = np.concatenate(weights)
    if not (w > 0).any():
        raise Failure(EXIT_INPUT, "no unflagged cross-correlation data in the imaged fields")
    return d[w > 0], w[w > 0], "+".join(sorted(sources))


PB_NODE_STEP_DEG = 0.02  # largest spacing of the nodes the effective beam is computed on (as the builtin imaging)
PB_NODE_STEP_PX = 32
PB_ROWS = 256  # image rows corrected at a time


def _axis_nodes(length, step):
    """Node pixel indices every ``step`` pixels from 0, the last on the last pixel (at least two)."""
    nodes = list(range(0, max(1, length - 1), step)) + [max(0, length - 1)]
    if len(nodes) < 2:
        nodes = [0, max(0, length - 1)]
    return np.asarray(nodes, dtype=np.float64)


def effective_beam_nodes(h, nx, ny, freq, pointings, weights):
    """The effective beam on a node grid of the image (SIN about CRVAL, CDELT in degrees, no rotation):
    (x nodes, y nodes, values (len(y), len(x))), 0-based pixel indices."""
    cell = abs(float(h["CDELT2"]))
    step = int(max(1, min(PB_NODE_STEP_PX, math.floor(PB_NODE_STEP_DEG / cell))))
    xs, ys = _axis_nodes(nx, step), _axis_nodes(ny, step)
    l = (xs + 1 - float(h["CRPIX1"])) * math.radians(float(h["CDELT1"]))
    m = (ys + 1 - float(h["CRPIX2"])) * math.radians(float(h["CDELT2"]))
    ll, mm = np.meshgrid(l, m)
    # l (east) = -x offset when CDELT1 < 0, as WSClean writes it; FITS SIN: x = l in the sense of RA
    u = sin_lm_to_unit(ll, mm, math.radians(float(h["CRVAL1"])), math.radians(float(h["CRVAL2"])))
    return xs, ys, mean_airy_power(u, pointings, weights, freq)


def interpolate_rows(xs, ys, values, y0, y1, nx):
    """Bilinear interpolation of the node values on image rows y0..y1-1 (every column)."""
    x = np.arange(nx, dtype=np.float64)
    y = np.arange(y0, y1, dtype=np.float64)
    i = np.clip(np.searchsorted(xs, x, side="right") - 1, 0, len(xs) - 2)
    j = np.clip(np.searchsorted(ys, y, side="right") - 1, 0, len(ys) - 2)
    fx = (x - xs[i]) / (xs[i + 1] - xs[i])
    fy = ((y - ys[j]) / (ys[j + 1] - ys[j]))[:, None]
    top = values[j][:, i] * (1 - fx) + values[j][:, i + 1] * fx
    bottom = values[j + 1][:, i] * (1 - fx) + values[j + 1][:, i + 1] * fx
    return top * (1 - fy) + bottom * fy


def pb_correct(image_path, out_path, pb_limit, pointings=None, weights=None):
    """Divides the image by the drift scan's effective Airy beam at the image frequency: the weighted mean of the
    responses to every pointing (``beam_pointings``), or the beam about the image centre (CRVAL) when none are given.
    The mean is smooth on the beam's scale (~3 deg): computed exactly on nodes at most 0.02 deg and 32 pixels apart
    and interpolated bilinearly (error < 1e-4), as the builtin imaging does, and applied PB_ROWS rows at a time, so
    the memory is the image (float32) and its copy, not a float64 array per pixel and Simpson node."""
    cards, data = read_fits_image(image_path)
    h = header_dict(cards)
    freq = None
    for i in range(3, int(h.get("NAXIS", 2)) + 1):
        if str(h.get(f"CTYPE{i}", "")).upper().startswith("FREQ"):
            freq = float(h[f"CRVAL{i}"])
    if freq is None:
        freq = float(h.get("RESTFRQ", h.get("RESTFREQ", 0.0)) or 0.0)
    if freq <= 0:
        raise Failure(EXIT_NO_IMAGE, f"{image_path}: no frequency axis, cannot compute the primary beam")
    if pointings is None:
        pointings = unit_vectors(math.radians(float(h["CRVAL1"])), math.radians(float(h["CRVAL2"])))[None, :]
        weights = np.ones(1)
    ny, nx = data.shape[-2], data.shape[-1]
    xs, ys, nodes = effective_beam_nodes(h, nx, ny, freq, pointings, weights)
    planes = data.reshape(-1, ny, nx)
    corrected = np.empty(planes.shape, dtype=np.float32)
    for y0 in range(0, ny, PB_ROWS):
        y1 = min(ny, y0 + PB_ROWS)
        beam = interpolate_rows(xs, ys, nodes, y0, y1, nx)
        with np.errstate(divide="ignore", invalid="ignore"):
            corrected[:, y0:y1] = np.where(beam >= pb_limit, planes[:, y0:y1] / beam, np.nan)
    del data, planes
    what = (f"the data-weighted mean of the beams of {len(weights)} pointings" if len(weights) > 1
            else "the beam about the phase centre")
    write_fits_image(out_path, cards, corrected, set_keys={"PBCOR": True}, history=[
        "contimg-hub wsclean-image.py: divided by the DSA-110 Airy beam (D=4.7 m),",
        f"{what}, at {freq / 1e6:.3f} MHz;", f"pixels with beam < {pb_limit} blanked (NaN)"])
    return nodes


def peak_rss_mb():
    """This process's own peak resident memory (wsclean, a child, excluded; docs/performance.md): VmHWM of
    /proc/self/status. Not getrusage's ru_maxrss: Linux carries the parent's high-water mark into it when the
    parent spawns through vfork (the JVM's ~1 GB showed up as the adapter's under the hub and the tests)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024.0, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1)


def clean_summary(h, niter, max_major):
    """Minor iterations and major cycles WSClean used (header h: its WSCMINOR / WSCMAJOR keywords), under the builtin
    imager's metric names; converged when it stopped below both caps (niter, and nmiter unless 0 = none)."""
    if "WSCMINOR" not in h:
        return {}
    minor = int(float(h["WSCMINOR"]))
    out = {"clean_iterations": minor, "clean_converged": minor < niter}
    if "WSCMAJOR" in h:
        out["major_cycles"] = int(float(h["WSCMAJOR"]))
        out["clean_converged"] = minor < niter and (max_major == 0 or out["major_cycles"] < max_major)
    return out


def image_stats(path, niter=None, max_major=0):
    """Peak, robust rms, dynamic range and restoring beam of a FITS image; with niter, WSClean's clean summary."""
    cards, data = read_fits_image(path)
    h = header_dict(cards)
    plane = data.reshape(-1, data.shape[-2], data.shape[-1])[0]
    finite = plane[np.isfinite(plane)]
    peak = float(finite.max()) if finite.size else float("nan")
    rms = robust_rms(finite)
    out = {"peak_jyb": peak, "rms_jyb": rms,
           "dynamic_range": peak / rms if rms and rms > 0 and math.isfinite(rms) else None}
    if "BMAJ" in h:
        out["beam_major_arcsec"] = float(h["BMAJ"]) * 3600.0
        out["beam_minor_arcsec"] = float(h["BMIN"]) * 3600.0
        out["beam_pa_deg"] = float(h.get("BPA", 0.0))
    if niter is not None:
        out.update(clean_summary(h, niter, max_major))
    return out


def run(argv):
    args = parse_args(argv)
    params = params_from_env()
    out_dir = os.path.abspath(args.output_dir or os.environ.get("CONTIMG_OUTPUT_DIR") or ".")
    os.makedirs(out_dir, exist_ok=True)
    fov = setting(args, params, "fov_deg", "fov_deg", float, 3.5)
    niter = setting(args, params, "niter", "niter", int, 100000)
    gain = param(params, "gain", float, 0.1)
    major_gain = param(params, "major-gain", float, 0.8)
    mask_sigma = param(params, "mask-sigma", float, 5.0)
    threshold_sigma = param(params, "threshold-sigma", float, 3.0)
    threshold_jy = param(params, "threshold-jy", float, 0.0)
    max_major = param(params, "max-major-cycles", int, 30)
    threads = setting(args, params, "threads", "threads", int, None)
    size = setting(args, params, "size", "size", int, None)
    scale = setting(args, params, "scale", "scale_arcsec", float, None)
    column = setting(args, params, "data_column", "data_column", str, None)
    field = setting(args, params, "field", "field", str, None)
    gridder = setting(args, params, "gridder", "gridder", str, "wgridder")
    keep_ms = args.keep_ms or param(params, "keep_ms", bool, False)
    pb_limit = setting(args, params, "pb_limit", "pb_limit", float, 0.1)
    pbcor = not args.no_pbcor and param(params, "pbcor", bool, True)
    if fov <= 0 or niter < 0 or (size is not None and size < 2) or (scale is not None and scale <= 0) \
            or not 0 < pb_limit < 1 or gridder not in ("wgridder", "wstacking") or not 0 < gain <= 1 \
            or not 0 < major_gain <= 1 or threshold_sigma < 0 or mask_sigma < 0 or threshold_jy < 0 \
            or max_major < 0:
        raise Failure(EXIT_ARGS, "need fov > 0, niter >= 0, size >= 2, scale > 0, 0 < pb_limit < 1, gridder "
                                 "wgridder or wstacking, 0 < gain, major-gain <= 1, threshold-sigma >= 0, "
                                 "mask-sigma >= 0, threshold-jy >= 0 and max-major-cycles >= 0")

    inputs = [os.path.abspath(p.rstrip("/")) for p in args.ms]
    uvfits = [p for p in inputs if contimg_ms.is_uvfits(p)]
    for p in inputs:
        if not is_ms(p) and p not in uvfits:
            print(f"note: ignoring input {p}: not a Measurement Set directory", file=sys.stderr)
    if not uvfits and not any(is_ms(p) for p in inputs):
        raise Failure(EXIT_INPUT, "no Measurement Set among the inputs (nor a UVFITS file): " + " ".join(inputs))

    wsclean = args.wsclean or os.environ.get("WSCLEAN") or "wsclean"
    if shutil.which(wsclean) is None:
        raise Failure(EXIT_TOOL, f"wsclean not found ({wsclean}); install the Debian package wsclean "
                                 "or set WSCLEAN to the binary")
    converted = convert_uvfits(uvfits, out_dir)
    ms_paths = [converted.get(p, p) for p in inputs if p in converted or is_ms(p)]

    metrics = {"fov_deg": fov, "niter": niter, "gain": gain, "major_gain": major_gain,
               "threshold_sigma": threshold_sigma, "mask_sigma": mask_sigma, "max_major_cycles": max_major}
    if size is None or scale is None or column is None:
        column, u_max, f_max, rows = inspect_ms(ms_paths, column)
        cell, auto_size = cell_and_size(u_max, fov)
        metrics.update({"u_max_lambda": round(u_max, 3), "freq_max_hz": f_max, "unflagged_rows": rows})
        scale = scale if scale is not None else cell
        size = size if size is not None else auto_size
    metrics.update({"cell_arcsec": scale, "imsize": size, "data_column": column, "gridder": gridder})
    if field is None:
        n_fields, shared = shared_phase_centre(ms_paths)
        metrics["fields"] = n_fields
        if n_fields > 1 and shared:
            field = "all"
        elif n_fields > 1:
            print(f"note: the {n_fields} fields have different phase centres: imaging field 0 only "
                  "(rephase them to one centre, e.g. with chgcentre, to image them jointly)", file=sys.stderr)
    imaged_fields(field)  # a field value the beam's weighting cannot read fails here, before wsclean runs
    if converted:
        metrics["converted_from_uvfits"] = len(converted)

    name = args.name or params.get("image_name") or os.path.basename(ms_paths[0])
    if name.endswith(".ms") or name.endswith(".MS"):
        name = name[:-3]
    prefix = os.path.join(out_dir, name)
    for suffix in ("image", "residual", "model", "psf", "dirty", "image-pb"):
        stale = f"{prefix}-{suffix}.fits"
        if os.path.exists(stale):
            os.remove(stale)  # an earlier attempt's products must not pass for this one's

    cmd = [wsclean, "-name", prefix, "-size", str(size), str(size), "-scale", f"{scale:.6g}asec",
           "-weight", "briggs", "0", "-niter", str(niter), "-nmiter", str(max_major), "-gain", f"{gain:g}",
           "-mgain", f"{major_gain:g}",
           "-pol", "I", "-data-column", column, "-temp-dir", out_dir,
           "-no-update-model-required"]
    if threshold_sigma > 0:
        cmd += ["-auto-threshold", f"{threshold_sigma:g}"]
    if mask_sigma > threshold_sigma:  # as the builtin: a mask level at or below the threshold means no mask
        cmd += ["-auto-mask", f"{mask_sigma:g}"]
    if threshold_jy > 0:
        cmd += ["-threshold", f"{threshold_jy:g}"]
    if gridder == "wgridder":
        cmd += ["-use-wgridder"]
    if field is not None:
        cmd += ["-field", field]
    if threads:
        cmd += ["-j", str(threads)]
    cmd += list(args.extra) + ms_paths
    print("$ " + " ".join(cmd), flush=True)
    env = dict(os.environ)
    env["OPENBLAS_NUM_THREADS"] = "1"  # wsclean refuses to run with multi-threaded OpenBLAS
    rc = subprocess.run(cmd, env=env, cwd=out_dir).returncode
    if rc != 0:
        raise Failure(EXIT_WSCLEAN, f"wsclean exited with code {rc}")
    image = prefix + "-image.fits"
    if not os.path.isfile(image):
        raise Failure(EXIT_NO_IMAGE, f"wsclean finished but wrote no {image}")

    metrics.update(image_stats(image, niter, max_major))
    products = {s: f"{name}-{s}.fits" for s in ("image", "residual", "model", "psf", "dirty")
                if os.path.isfile(f"{prefix}-{s}.fits")}
    primary = image
    if pbcor:
        pb_image = prefix + "-image-pb.fits"
        pointings, weights, source = beam_pointings(ms_paths, field)
        pb_correct(image, pb_image, pb_limit, pointings, weights)
        metrics["pb_pointings"] = int(len(weights))
        metrics["pb_pointing_source"] = source
        products["image_pb"] = os.path.basename(pb_image)
        pb_stats = image_stats(pb_image)
        metrics["pb_peak_jyb"] = pb_stats["peak_jyb"]
        metrics["pb_limit"] = pb_limit
        primary = pb_image
    metrics["pbcor"] = bool(pbcor)
    metrics["adapter_peak_rss_mb"] = peak_rss_mb()
    if not keep_ms:
        for ms in converted.values():
            shutil.rmtree(ms, ignore_errors=True)  # an intermediate, as large as the data: the images are the products
    write_manifest(out_dir, [os.path.basename(primary)], metrics,
                   extra={"products": products, "inputs": [p for p in inputs if p in converted or is_ms(p)],
                          "converted": converted if keep_ms else {},
                          "command": cmd})
    print(f"image {os.path.basename(primary)}: peak {metrics['peak_jyb']:.4g} Jy/beam, "
          f"rms {metrics['rms_jyb']:.3g} Jy/beam, {size}x{size} px of {scale:.4g} arcsec", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main_guard(run, sys.argv[1:]))
