#!/usr/bin/env python3
"""Independent check of an HDF5 file written by contimg-hub's Hdf5Writer, using h5py/libhdf5.

usage: h5py_check.py FILE SPEC_JSON

Opening the file makes libhdf5 verify the superblock and object-header checksums. SPEC_JSON is
written by the Java test and lists what must be found:
  {"datasets":   {path: {"dtype": numpy dtype string, "shape": [...], "values": flat list}},
   "attributes": {path: {name: value or flat list}},
   "uvh5": true|false}
Complex values are given as interleaved [re, im, ...]; strings as text. With "uvh5" the file is
also read the way pyuvdata's UVH5 reader does (UVH5 1.x phase-centre catalog); with "uvw_tolerance_m" the uvw
are recomputed from the antenna positions for the phase centres the catalog states (driftscan in alt-az,
unprojected), as pyuvdata's check() does, and must agree within that tolerance. Prints OK and exits 0 when
everything matches.
"""
import json
import sys

import h5py
import numpy as np

UVH5_REQUIRED = [
    "telescope_name", "latitude", "longitude", "altitude", "instrument", "Nants_telescope",
    "antenna_names", "antenna_numbers", "antenna_positions", "history", "vis_units", "Nfreqs",
    "Npols", "Nspws", "Ntimes", "Nblts", "Nbls", "Nants_data", "ant_1_array", "ant_2_array",
    "integration_time", "freq_array", "spw_array", "polarization_array", "uvw_array",
    "channel_width", "time_array", "lst_array", "object_name", "version",
    "phase_center_catalog", "phase_center_id_array", "Nphase",
]
CAT_TYPES = ("sidereal", "ephem", "unprojected", "driftscan")

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def as_list(value):
    """Flatten an h5py value to plain Python values: text, (re, im) pairs, bools, numbers."""
    a = np.asarray(value)
    if a.dtype.kind == "S":
        return [bytes(x).decode("utf8") for x in a.ravel()]
    if a.dtype.kind == "c":
        return [v for z in a.ravel() for v in (float(z.real), float(z.imag))]
    return a.ravel().tolist()


def same_values(actual, expected, dtype):
    a = np.asarray(actual)
    if a.dtype.kind in "fc":
        # compare in the stored precision: JSON carries the Java float/double exactly enough
        real_dtype = np.float32 if dtype in ("float32", "complex64") else np.float64
        return np.array_equal(np.asarray(as_list(a), dtype=real_dtype), np.asarray(expected, dtype=real_dtype))
    return as_list(a) == expected


def check_datasets(f, spec):
    for path, exp in spec.get("datasets", {}).items():
        if path not in f:
            failures.append(f"missing dataset {path}")
            continue
        ds = f[path]
        check(str(ds.dtype) == exp["dtype"], f"{path}: dtype {ds.dtype} != {exp['dtype']}")
        check(list(ds.shape) == exp["shape"], f"{path}: shape {ds.shape} != {exp['shape']}")
        check(same_values(ds[()], exp["values"], exp["dtype"]), f"{path}: values differ")


def check_attributes(f, spec):
    for path, attrs in spec.get("attributes", {}).items():
        obj = f[path]
        for name, expected in attrs.items():
            if name not in obj.attrs:
                failures.append(f"{path}: missing attribute {name}")
                continue
            got = as_list(obj.attrs[name])
            expected = expected if isinstance(expected, list) else [expected]
            check(got == expected, f"{path}@{name}: {got} != {expected}")


def check_uvh5(f):
    """The reads pyuvdata's UVH5 reader performs, and the consistency it relies on."""
    h = f["Header"]
    for key in UVH5_REQUIRED:
        check(key in h, f"Header/{key} missing")
    if failures:
        return
    for key in ("telescope_name", "instrument", "history", "vis_units", "object_name", "version"):
        bytes(h[key][()]).decode("utf8")
    names = [bytes(n).decode("utf8") for n in h["antenna_names"][:]]
    nblts, nfreqs, npols = int(h["Nblts"][()]), int(h["Nfreqs"][()]), int(h["Npols"][()])
    nants = int(h["Nants_telescope"][()])
    check(len(names) == nants, "antenna_names length != Nants_telescope")
    check(h["antenna_positions"].shape == (nants, 3), "antenna_positions shape")
    check(nblts > 0 and h["time_array"].shape == (nblts,), "time_array shape")
    check(h["uvw_array"].shape == (nblts, 3), "uvw_array shape")
    check(h["freq_array"].ndim == 1 and h["freq_array"].shape == (nfreqs,), "freq_array must be 1-D (Nfreqs)")
    check(np.asarray(h["channel_width"]).size == nfreqs, "channel_width size != Nfreqs")
    check(h["flex_spw_id_array"].shape == (nfreqs,), "flex_spw_id_array shape")
    check(set(h["flex_spw_id_array"][:]) <= set(h["spw_array"][:]), "flex_spw_id_array values not in spw_array")
    check(len(np.unique(h["time_array"][:])) == int(h["Ntimes"][()]), "Ntimes != unique times")
    pairs = set(zip(h["ant_1_array"][:], h["ant_2_array"][:]))
    check(len(pairs) == int(h["Nbls"][()]), "Nbls != unique antenna pairs")
    check(bool(h["flex_spw"][()]) is False, "flex_spw should read as False")
    catalog = read_catalog(h)
    check(len(catalog) == int(h["Nphase"][()]), "Nphase != catalog entries")
    ids = h["phase_center_id_array"][:]
    check(ids.shape == (nblts,) and set(ids.tolist()) <= set(catalog), "phase_center_id_array not in the catalog")
    for e in catalog.values():
        check(e.get("cat_type") in CAT_TYPES, f"cat_type {e.get('cat_type')} unknown to pyuvdata")

    d = f["Data"]
    shape = (nblts, nfreqs, npols)
    vis = d["visdata"]
    check(vis.shape == shape, f"visdata shape {vis.shape} != {shape}")
    # h5py presents a float32 {r, i} compound as complex64; read it also as the raw compound
    check(vis.dtype == np.complex64, f"visdata dtype {vis.dtype} is not complex64")
    raw = vis.astype(np.dtype([("r", "<f4"), ("i", "<f4")]))[:]
    check(np.array_equal(raw["r"], vis[()].real) and np.array_equal(raw["i"], vis[()].imag),
          "visdata r/i members do not match the complex view")
    check(d["flags"].dtype == np.bool_ and d["flags"].shape == shape, "flags must be bool (Nblts, Nfreqs, Npols)")
    check(d["nsamples"].dtype == np.float32 and d["nsamples"].shape == shape, "nsamples must be float32")


def read_catalog(h):
    """pyuvdata's reading of Header/phase_center_catalog: one group per entry, named by its integer id."""
    catalog = {}
    for key, group in h["phase_center_catalog"].items():
        entry = {}
        for name, ds in group.items():
            value = ds[()]
            entry[name] = bytes(value).decode("utf8") if isinstance(value, bytes) else value
        catalog[int(key)] = entry
    return catalog


def check_uvw(f, tolerance):
    """uvw from the antenna positions for the stated centres (pyuvdata's calc_uvw) against uvw_array."""
    h = f["Header"]
    lat, lon = np.radians(h["latitude"][()]), np.radians(h["longitude"][()])
    lst, ids = h["lst_array"][:], h["phase_center_id_array"][:]
    ha, dec = np.zeros(len(lst)), np.zeros(len(lst))
    for cid, e in read_catalog(h).items():
        m = ids == cid
        if e["cat_type"] == "unprojected":
            ha[m], dec[m] = 0.0, lat
        elif e["cat_type"] == "driftscan" and e.get("cat_frame", "altaz") == "altaz":
            az, el = e["cat_lon"], e["cat_lat"]  # SOFA ae2hd
            x = -np.cos(az) * np.cos(el) * np.sin(lat) + np.sin(el) * np.cos(lat)
            y = -np.sin(az) * np.cos(el)
            z = np.cos(az) * np.cos(el) * np.cos(lat) + np.sin(el) * np.sin(lat)
            ha[m], dec[m] = np.arctan2(y, x), np.arctan2(z, np.hypot(x, y))
        else:
            failures.append(f"uvw check does not handle cat_type {e['cat_type']}")
            return
    index = {n: i for i, n in enumerate(h["antenna_numbers"][:])}
    pos = h["antenna_positions"][:]
    b = pos[[index[a] for a in h["ant_2_array"][:]]] - pos[[index[a] for a in h["ant_1_array"][:]]]
    gha = ha - lon  # Greenwich hour angle of the centre
    sh, ch, sd, cd = np.sin(gha), np.cos(gha), np.sin(dec), np.cos(dec)
    uvw = np.stack([sh * b[:, 0] + ch * b[:, 1],
                    -sd * ch * b[:, 0] + sd * sh * b[:, 1] + cd * b[:, 2],
                    cd * ch * b[:, 0] - cd * sh * b[:, 1] + sd * b[:, 2]], 1)
    worst = float(np.max(np.abs(uvw - h["uvw_array"][:])))
    check(worst <= tolerance, f"uvw differ by {worst} m from the stated phase centre's")
    if "phase_center_app_dec" in h:
        check(np.allclose(h["phase_center_app_dec"][:], dec, atol=1e-12), "phase_center_app_dec != stated Dec")
        check(np.allclose(h["phase_center_app_ra"][:], np.mod(lst - ha, 2 * np.pi), atol=1e-12),
              "phase_center_app_ra != LST - HA")


def main():
    path, spec_path = sys.argv[1], sys.argv[2]
    with open(spec_path) as fh:
        spec = json.load(fh)
    with h5py.File(path, "r") as f:
        check_datasets(f, spec)
        check_attributes(f, spec)
        if spec.get("uvh5"):
            check_uvh5(f)
        if "uvw_tolerance_m" in spec and not failures:
            check_uvw(f, spec["uvw_tolerance_m"])
    if failures:
        print("FAILED:\n" + "\n".join(failures))
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
