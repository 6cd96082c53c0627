"""Measurement Sets for the processors/ adapters: written with python-casacore per the MS v2 definition, and read
from the hub's UVFITS (numpy + astropy.io.fits; no hub imports).

Conventions (docs/conventions.md): in the MS, UVW = position(ANTENNA2) - position(ANTENNA1) in metres and the
samples are V = sum S exp(+2 pi i (u l + v m + w (n - 1))), the pair under which WSClean and CASA put a source at its
true position. The hub's UVFITS is in the AIPS orientation (UU/VV/WW = x(ant1) - x(ant2) in seconds, samples the
complex conjugate), so the conversion negates the uvw and conjugates the samples; STABXYZ are in AIPS Memo 117's
frame (ITRF axes turned about z by the array's longitude) and go back to ITRF.

MS v2 (Kemball & Wieringa 2000): the main table with UVW, TIME (MJD seconds, UTC, integration centre), INTERVAL,
EXPOSURE, ANTENNA1/2, FEED1/2, FIELD_ID, DATA_DESC_ID, SCAN_NUMBER, ARRAY_ID, OBSERVATION_ID, PROCESSOR_ID,
STATE_ID, DATA, FLAG, FLAG_ROW, WEIGHT, SIGMA (and WEIGHT_SPECTRUM when per-channel weights are given); the
required subtables ANTENNA, DATA_DESCRIPTION, FEED, FIELD, FLAG_CMD, HISTORY, OBSERVATION, POINTING, POLARIZATION,
PROCESSOR, SPECTRAL_WINDOW, STATE (the ones without content stay empty, as the definition allows; POINTING holds the
fields' pointings when they are known: the UVFITS SU table's RAOBS/DECOBS).
"""

import math
import os
import shutil

import numpy as np

C_M_S = 299792458.0
JD_MJD = 2400000.5
# MS CORR_TYPE (casacore Stokes enum) of the AIPS polarisation codes, and the receptors each correlates
CORR_TYPE = {-1: 5, -2: 8, -3: 6, -4: 7, -5: 9, -6: 12, -7: 10, -8: 11, 1: 1, 2: 2, 3: 3, 4: 4}
CORR_PRODUCT = {-1: (0, 0), -2: (1, 1), -3: (0, 1), -4: (1, 0), -5: (0, 0), -6: (1, 1), -7: (0, 1), -8: (1, 0),
                1: (0, 0), 2: (0, 0), 3: (0, 0), 4: (0, 0)}


class UnreadableInput(Exception):
    """The input is not a UVFITS file this module can convert (the message says why)."""


def casacore_tables():
    """python-casacore's tables module, or None when it is not installed."""
    try:
        from casacore import tables
    except ImportError:
        return None
    return tables


def write_ms(path, *, telescope, antenna_names, antenna_itrf, freqs_hz, chan_width_hz, pols, time_mjd_s,
             interval_s, ant1, ant2, uvw_m, field_id, field_names, phase_dirs, data, flag, weight_spectrum=None,
             columns=None, dish_diameter_m=4.7, direction_frame="ICRS", receptors=("X", "Y"), observer="contimg-hub",
             history=(), pointing_dirs=None):
    """Writes a new MS at ``path`` (replacing one that exists).

    ant1/ant2 are 0-based rows of the antenna arrays; field_id 0-based rows of field_names/phase_dirs ((n, 2)
    radians); data/flag shaped (nrow, nchan, npol); weight_spectrum likewise (float) or None (unit weights);
    ``columns`` maps further data columns (e.g. CORRECTED_DATA) to arrays shaped like data. ``pointing_dirs``
    ((n, 2) radians, one per field, or None): where the antennas pointed while each field was observed (for a
    drift scan, the meridian during that integration), written to the POINTING table (one row per antenna and
    field, TIME and INTERVAL spanning the field's rows, TRACKING false); the WSClean adapter's primary-beam
    correction averages the beam over them. None leaves POINTING empty (the beam centre is then the phase centre).
    """
    tables = casacore_tables()
    if tables is None:
        raise ImportError("python3-casacore is not installed (import casacore.tables failed)")
    nrow, nchan, npol = data.shape
    if os.path.exists(path):
        shutil.rmtree(path)
    names = ["DATA"] + list(columns or {})
    cols = [tables.makearrcoldesc(n, 0j, shape=[nchan, npol], valuetype="complex") for n in names]
    if weight_spectrum is not None:
        cols.append(tables.makearrcoldesc("WEIGHT_SPECTRUM", 0.0, shape=[nchan, npol], valuetype="float"))
    ms = tables.default_ms(path, tables.maketabdesc(cols))
    with ms:
        ms.addrows(nrow)
        ms.putcol("UVW", np.asarray(uvw_m, dtype=np.float64))
        ms.putcol("TIME", time_mjd_s)
        ms.putcol("TIME_CENTROID", time_mjd_s)
        ms.putcol("INTERVAL", interval_s)
        ms.putcol("EXPOSURE", interval_s)
        ms.putcol("ANTENNA1", np.asarray(ant1, dtype=np.int32))
        ms.putcol("ANTENNA2", np.asarray(ant2, dtype=np.int32))
        zeros = np.zeros(nrow, dtype=np.int32)
        for c in ("FEED1", "FEED2", "DATA_DESC_ID", "ARRAY_ID", "OBSERVATION_ID"):
            ms.putcol(c, zeros)
        ms.putcol("FIELD_ID", np.asarray(field_id, dtype=np.int32))
        ms.putcol("SCAN_NUMBER", np.asarray(field_id, dtype=np.int32) + 1)
        ms.putcol("PROCESSOR_ID", zeros - 1)
        ms.putcol("STATE_ID", zeros - 1)
        ms.putcol("DATA", data.astype(np.complex64))
        for n, values in (columns or {}).items():
            ms.putcol(n, values.astype(np.complex64))
        ms.putcol("FLAG", flag)
        ms.putcol("FLAG_ROW", flag.reshape(nrow, -1).all(axis=1))
        if weight_spectrum is None:
            weight = np.ones((nrow, npol), dtype=np.float32)
        else:
            ws = np.where(flag, 0.0, weight_spectrum).astype(np.float32)
            ms.putcol("WEIGHT_SPECTRUM", ws)
            weight = ws.mean(axis=1)
        ms.putcol("WEIGHT", weight.astype(np.float32))
        with np.errstate(divide="ignore"):
            ms.putcol("SIGMA", np.where(weight > 0, 1.0 / np.sqrt(np.maximum(weight, 1e-30)), 0.0).astype(np.float32))

    t0 = float(np.min(time_mjd_s) - np.max(interval_s) / 2)
    t1 = float(np.max(time_mjd_s) + np.max(interval_s) / 2)
    nant = len(antenna_names)
    with tables.table(path + "/ANTENNA", readonly=False, ack=False) as t:
        t.addrows(nant)
        t.putcol("NAME", list(antenna_names))
        t.putcol("STATION", list(antenna_names))
        t.putcol("TYPE", ["GROUND-BASED"] * nant)
        t.putcol("MOUNT", ["ALT-AZ"] * nant)
        t.putcol("POSITION", np.asarray(antenna_itrf, dtype=np.float64))
        t.putcol("OFFSET", np.zeros((nant, 3)))
        t.putcol("DISH_DIAMETER", np.full(nant, dish_diameter_m))
        t.putcol("FLAG_ROW", np.zeros(nant, dtype=bool))
    with tables.table(path + "/FEED", readonly=False, ack=False) as t:
        t.addrows(nant)
        t.putcol("ANTENNA_ID", np.arange(nant, dtype=np.int32))
        t.putcol("FEED_ID", np.zeros(nant, dtype=np.int32))
        t.putcol("SPECTRAL_WINDOW_ID", np.full(nant, -1, dtype=np.int32))
        t.putcol("TIME", np.full(nant, (t0 + t1) / 2))
        t.putcol("INTERVAL", np.full(nant, t1 - t0))
        t.putcol("NUM_RECEPTORS", np.full(nant, 2, dtype=np.int32))
        t.putcol("BEAM_ID", np.full(nant, -1, dtype=np.int32))
        t.putcol("BEAM_OFFSET", np.zeros((nant, 2, 2)))
        t.putcol("POLARIZATION_TYPE", np.array([list(receptors)] * nant))
        t.putcol("POL_RESPONSE", np.tile(np.eye(2, dtype=np.complex64), (nant, 1, 1)))
        t.putcol("POSITION", np.zeros((nant, 3)))
        t.putcol("RECEPTOR_ANGLE", np.tile([0.0, math.pi / 2], (nant, 1)))
    freqs = np.asarray(freqs_hz, dtype=np.float64)
    widths = np.broadcast_to(np.asarray(chan_width_hz, dtype=np.float64), freqs.shape).copy()
    with tables.table(path + "/SPECTRAL_WINDOW", readonly=False, ack=False) as t:
        t.addrows(1)
        t.putcell("NUM_CHAN", 0, len(freqs))
        t.putcell("NAME", 0, "band")
        t.putcell("CHAN_FREQ", 0, freqs)
        t.putcell("CHAN_WIDTH", 0, widths)
        t.putcell("EFFECTIVE_BW", 0, np.abs(widths))
        t.putcell("RESOLUTION", 0, np.abs(widths))
        t.putcell("REF_FREQUENCY", 0, float(freqs[0]))
        t.putcell("TOTAL_BANDWIDTH", 0, float(np.sum(np.abs(widths))))
        t.putcell("MEAS_FREQ_REF", 0, 5)  # TOPO
        t.putcell("NET_SIDEBAND", 0, 1)
        t.putcell("FREQ_GROUP", 0, 0)
        t.putcell("FREQ_GROUP_NAME", 0, "")
        t.putcell("IF_CONV_CHAIN", 0, 0)
        t.putcell("FLAG_ROW", 0, False)
    with tables.table(path + "/POLARIZATION", readonly=False, ack=False) as t:
        t.addrows(1)
        t.putcell("NUM_CORR", 0, len(pols))
        t.putcell("CORR_TYPE", 0, np.array([CORR_TYPE[p] for p in pols], dtype=np.int32))
        t.putcell("CORR_PRODUCT", 0, np.array([CORR_PRODUCT[p] for p in pols], dtype=np.int32))
        t.putcell("FLAG_ROW", 0, False)
    with tables.table(path + "/DATA_DESCRIPTION", readonly=False, ack=False) as t:
        t.addrows(1)
        t.putcell("SPECTRAL_WINDOW_ID", 0, 0)
        t.putcell("POLARIZATION_ID", 0, 0)
        t.putcell("FLAG_ROW", 0, False)
    nfield = len(field_names)
    with tables.table(path + "/FIELD", readonly=False, ack=False) as t:
        for c in ("DELAY_DIR", "PHASE_DIR", "REFERENCE_DIR"):
            info = t.getcolkeyword(c, "MEASINFO")
            info["Ref"] = direction_frame
            t.putcolkeyword(c, "MEASINFO", info)
        t.addrows(nfield)
        times = np.asarray(time_mjd_s)
        fid = np.asarray(field_id)
        for f in range(nfield):
            t.putcell("NAME", f, str(field_names[f]))
            t.putcell("CODE", f, "")
            mine = times[fid == f]
            t.putcell("TIME", f, float(mine.mean()) if mine.size else (t0 + t1) / 2)
            t.putcell("NUM_POLY", f, 0)
            for c in ("DELAY_DIR", "PHASE_DIR", "REFERENCE_DIR"):
                t.putcell(c, f, np.asarray(phase_dirs[f], dtype=np.float64).reshape(1, 2))
            t.putcell("SOURCE_ID", f, -1)
            t.putcell("FLAG_ROW", f, False)
    if pointing_dirs is not None:
        _write_pointing(tables, path, np.asarray(time_mjd_s, dtype=np.float64),
                        np.broadcast_to(np.asarray(interval_s, dtype=np.float64), (nrow,)), np.asarray(field_id),
                        field_names, np.asarray(pointing_dirs, dtype=np.float64).reshape(nfield, 2), nant,
                        direction_frame)
    with tables.table(path + "/OBSERVATION", readonly=False, ack=False) as t:
        t.addrows(1)
        t.putcell("TELESCOPE_NAME", 0, telescope)
        t.putcell("TIME_RANGE", 0, np.array([t0, t1]))
        t.putcell("OBSERVER", 0, observer)
        t.putcell("PROJECT", 0, "contimg-hub")
        t.putcell("RELEASE_DATE", 0, 0.0)
        t.putcell("SCHEDULE_TYPE", 0, "")
        t.putcell("FLAG_ROW", 0, False)
    if history:
        with tables.table(path + "/HISTORY", readonly=False, ack=False) as t:
            t.addrows(len(history))
            for i, line in enumerate(history):
                t.putcell("TIME", i, t0)
                t.putcell("OBSERVATION_ID", i, 0)
                t.putcell("MESSAGE", i, line)
                t.putcell("PRIORITY", i, "NORMAL")
                t.putcell("ORIGIN", i, "contimg_ms.py")
                t.putcell("OBJECT_ID", i, 0)
                t.putcell("APPLICATION", i, "contimg-hub")
                t.putcell("CLI_COMMAND", i, np.array([""]))
                t.putcell("APP_PARAMS", i, np.array([""]))


def _write_pointing(tables, path, times, intervals, field_id, field_names, dirs, nant, frame):
    """POINTING rows (antenna-major within each field): the field's pointing over the span of its rows."""
    rows = []
    for f in range(len(field_names)):
        mine = field_id == f
        if not mine.any():
            continue
        start = float(np.min(times[mine] - intervals[mine] / 2))
        end = float(np.max(times[mine] + intervals[mine] / 2))
        rows.extend((a, f, (start + end) / 2, end - start) for a in range(nant))
    with tables.table(path + "/POINTING", readonly=False, ack=False) as t:
        for c in ("DIRECTION", "TARGET"):
            info = t.getcolkeyword(c, "MEASINFO")
            info["Ref"] = frame
            t.putcolkeyword(c, "MEASINFO", info)
        if not rows:
            return
        t.addrows(len(rows))
        t.putcol("ANTENNA_ID", np.array([r[0] for r in rows], dtype=np.int32))
        t.putcol("TIME", np.array([r[2] for r in rows]))
        t.putcol("INTERVAL", np.array([r[3] for r in rows]))
        t.putcol("TIME_ORIGIN", np.array([r[2] for r in rows]))
        t.putcol("NAME", [str(field_names[r[1]]) for r in rows])
        t.putcol("NUM_POLY", np.zeros(len(rows), dtype=np.int32))
        direction = np.stack([dirs[r[1]] for r in rows]).reshape(len(rows), 1, 2)
        t.putcol("DIRECTION", direction)
        t.putcol("TARGET", direction)
        t.putcol("TRACKING", np.zeros(len(rows), dtype=bool))  # a drift scan: the dishes stay put


def is_uvfits(path):
    """Whether ``path`` is a FITS file whose primary HDU holds random groups (UVFITS)."""
    if not os.path.isfile(path):
        return False
    with open(path, "rb") as f:
        head = f.read(2880 * 4).decode("ascii", errors="replace")
    cards = [head[i:i + 80] for i in range(0, len(head), 80)]
    return bool(cards) and cards[0].startswith("SIMPLE  =") and any(
        c.startswith("GROUPS  =") and c[10:30].strip() == "T" for c in cards)


def read_uvfits(path):
    """The hub's multi-source UVFITS (AIPS Memo 117) as a dict of MS-ready arrays (MS orientation)."""
    try:
        from astropy.io import fits
    except ImportError as e:
        raise ImportError("python3-astropy is not installed (needed to read UVFITS)") from e
    try:
        hdul = fits.open(path, memmap=False)
    except (OSError, ValueError) as e:
        raise UnreadableInput(f"{path}: not a readable FITS file: {e}") from e
    with hdul:
        g = hdul[0]
        h = g.header
        if not h.get("GROUPS"):
            raise UnreadableInput(f"{path}: not UVFITS (no random groups in the primary HDU)")
        axes = {h.get(f"CTYPE{i}", "").strip(): i for i in range(2, h["NAXIS"] + 1)}
        for needed in ("COMPLEX", "STOKES", "FREQ"):
            if needed not in axes:
                raise UnreadableInput(f"{path}: no {needed} axis")
        ptypes = [h[f"PTYPE{i}"].strip() for i in range(1, h["PCOUNT"] + 1)]
        par = g.data.par
        uu = par("UU") if "UU" in ptypes else par("UU---SIN")
        vv = par("VV") if "VV" in ptypes else par("VV---SIN")
        ww = par("WW") if "WW" in ptypes else par("WW---SIN")
        jd = np.asarray(par("DATE"), dtype=np.float64)  # astropy sums the two DATE parameters
        baseline = np.asarray(par("BASELINE"), dtype=np.float64)
        source = np.asarray(par("SOURCE"), dtype=np.int64) if "SOURCE" in ptypes else np.ones(len(jd), np.int64)
        inttim = np.asarray(par("INTTIM"), dtype=np.float64) if "INTTIM" in ptypes else np.full(len(jd), 1.0)
        raw = np.asarray(g.data.data, dtype=np.float32)
        # numpy axes: (group, DEC, RA, IF, FREQ, STOKES, COMPLEX) for the hub's layout; keep FREQ, STOKES, COMPLEX
        shape = raw.shape
        nchan = shape[h["NAXIS"] + 1 - axes["FREQ"]]
        npol = shape[h["NAXIS"] + 1 - axes["STOKES"]]
        vis = raw.reshape(len(jd), -1, nchan, npol, 3)[:, 0]
        i = axes["FREQ"]
        freqs = h[f"CRVAL{i}"] + (np.arange(nchan) + 1 - h[f"CRPIX{i}"]) * h[f"CDELT{i}"]
        width = abs(h[f"CDELT{i}"])
        s = axes["STOKES"]
        pols = [int(round(h[f"CRVAL{s}"] + (k + 1 - h[f"CRPIX{s}"]) * h[f"CDELT{s}"])) for k in range(npol)]
        an = _table(hdul, "AIPS AN", path)
        su = _table(hdul, "AIPS SU", path, required=False)
        arr = np.array([an.header.get("ARRAYX", 0.0), an.header.get("ARRAYY", 0.0), an.header.get("ARRAYZ", 0.0)])
        xyz = np.asarray(an.data["STABXYZ"], dtype=np.float64)
        if np.allclose(arr, 0.0):
            itrf = xyz  # absolute positions (the VLA's habit)
        else:
            lon = math.atan2(arr[1], arr[0])  # Memo 117: x in the array's meridian
            cl, sl = math.cos(lon), math.sin(lon)
            itrf = arr + np.stack([cl * xyz[:, 0] - sl * xyz[:, 1], sl * xyz[:, 0] + cl * xyz[:, 1], xyz[:, 2]], 1)
        numbers = [int(n) for n in an.data["NOSTA"]]
        names = [str(n).strip() for n in an.data["ANNAME"]]
        row_of = {n: k for k, n in enumerate(numbers)}
        a1 = np.floor(baseline / 256.0 + 1e-6).astype(int)
        a2 = np.rint(baseline - 256.0 * a1).astype(int)
        unknown = sorted({a for a in np.concatenate([a1, a2]) if a not in row_of})
        if unknown:
            raise UnreadableInput(f"{path}: baselines use antennas {unknown[:5]} missing from the AN table")
        if su is not None:
            ids = [int(x) for x in su.data["ID. NO."]]
            field_names = [str(x).strip() for x in su.data["SOURCE"]]
            dirs = np.radians(np.stack([su.data["RAEPO"], su.data["DECEPO"]], 1).astype(np.float64))
            names_su = [c.name for c in su.columns]
            pointing = np.radians(np.stack([su.data["RAOBS"], su.data["DECOBS"]], 1).astype(np.float64)) \
                if "RAOBS" in names_su and "DECOBS" in names_su else None
        else:
            ids = [1]
            field_names = [h.get("OBJECT", "field")]
            dirs = np.radians([[h.get("OBSRA", 0.0), h.get("OBSDEC", 0.0)]])
            pointing = None
        field_of = {sid: k for k, sid in enumerate(ids)}
        missing = sorted({int(x) for x in source if int(x) not in field_of})
        if missing:
            raise UnreadableInput(f"{path}: groups use source ids {missing[:5]} missing from the SU table")
        weight = vis[..., 2]
        return {
            "telescope": str(h.get("TELESCOP", "")).strip() or "unknown",
            "object": str(h.get("OBJECT", "")).strip(),
            "bunit": str(h.get("BUNIT", "")).strip(),
            "antenna_names": names,
            "antenna_itrf": itrf,
            "freqs_hz": freqs,
            "chan_width_hz": width,
            "pols": pols,
            "time_mjd_s": (jd - JD_MJD) * 86400.0,
            "interval_s": inttim,
            "ant1": np.array([row_of[a] for a in a1]),
            "ant2": np.array([row_of[a] for a in a2]),
            # MS orientation: ant2 - ant1 in metres, samples conjugated back (docs/conventions.md)
            "uvw_m": -np.stack([uu, vv, ww], 1).astype(np.float64) * C_M_S,
            "field_id": np.array([field_of[int(x)] for x in source]),
            "field_names": field_names,
            "phase_dirs": dirs,
            # the SU table's RAOBS/DECOBS: each field's beam centre (the hub writes the integration's meridian)
            "pointing_dirs": pointing,
            "data": (vis[..., 0] - 1j * vis[..., 1]).astype(np.complex64),
            "flag": weight <= 0,
            "weight_spectrum": np.abs(weight).astype(np.float32),
        }


def _table(hdul, name, path, required=True):
    for hdu in hdul[1:]:
        if hdu.header.get("EXTNAME", "").strip() == name:
            return hdu
    if required:
        raise UnreadableInput(f"{path}: no {name} table")
    return None


def uvfits_to_ms(uvfits, ms):
    """Converts the hub's UVFITS to an MS v2 at ``ms``; returns a short summary dict."""
    v = read_uvfits(uvfits)
    frames = "ICRS"
    write_ms(ms, telescope=v["telescope"], antenna_names=v["antenna_names"], antenna_itrf=v["antenna_itrf"],
             freqs_hz=v["freqs_hz"], chan_width_hz=v["chan_width_hz"], pols=v["pols"], time_mjd_s=v["time_mjd_s"],
             interval_s=v["interval_s"], ant1=v["ant1"], ant2=v["ant2"], uvw_m=v["uvw_m"], field_id=v["field_id"],
             field_names=v["field_names"], phase_dirs=v["phase_dirs"], data=v["data"], flag=v["flag"],
             weight_spectrum=v["weight_spectrum"], direction_frame=frames, pointing_dirs=v["pointing_dirs"],
             history=[f"converted from {os.path.basename(uvfits)} by contimg_ms.py (UVFITS AIPS orientation -> MS: "
                      "uvw negated, samples conjugated)", f"BUNIT {v['bunit']}"])
    return {"rows": int(len(v["time_mjd_s"])), "channels": int(len(v["freqs_hz"])), "fields": len(v["field_names"]),
            "antennas": len(v["antenna_names"])}
