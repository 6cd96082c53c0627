#!/usr/bin/env python3
"""Writes UVH5 variants of a group the way other writers state the same data (with h5py), for Uvh5VariantsTest.

usage: uvh5_variants.py DRIFT_DIR SIDEREAL_DIR OUT_DIR

DRIFT_DIR holds the hub's own files of a group (meridian drift scan, UVH5 1.x driftscan catalog entry, DSA-110's
extra keywords); SIDEREAL_DIR the same group phased to a fixed ICRS centre (sidereal catalog entry). For each variant
OUT_DIR/<variant>/ gets every subband file, changed as named:

  accepted (same data, stated another way)
    dsa110_legacy        as the DSA-110 correlator writes: phase_type "drift" + extra_keywords, no catalog
    pyuvdata_rewrite     DSA-110 keywords kept and an unprojected catalog entry added, as pyuvdata 2.4 rewrites them
    unprojected          pyuvdata's unproject_phase() of a DSA-110 file: ENU uvw, no w phase in the samples, an
                         unprojected catalog entry, DSA-110's keywords kept (they now only say where the dishes point)
    unprojected_plain    pyuvdata's legacy drift file: the same data, phase_type "drift", no catalog, no DSA keyword
    sidereal_legacy      phase_type "phased" with phase_center_ra/dec/frame/epoch, no catalog, no apparent arrays
    sidereal_json        the first UVH5 1.0 catalog layout: one JSON string per entry, named after it
    baseline_major       blts ordered baseline by baseline (pyuvdata's ("baseline", "time"))
    conjugated           every other baseline stored as (ant2, ant1): uvw negated, samples conjugated
    autos                auto-correlations added at every integration
  rejected (the field the hub must name)
    ephem                Header/phase_center_catalog/0/cat_type
    no_statement         Header/phase_type
    bad_phase_type       Header/phase_type
    uvw_contradicts      Header/uvw_array       (says "drift" = zenith, uvw are the meridian's)
    bad_frame            Header/phase_center_catalog/0/cat_frame
    unknown_id           Header/phase_center_id_array
    no_cat_type          Header/phase_center_catalog/0/cat_type  (refused by the reader itself)
"""
import glob
import os
import shutil
import sys

import h5py
import numpy as np

C = 299792458.0
CATALOG_EXTRAS = ("phase_center_catalog", "Nphase", "phase_center_id_array", "phase_center_app_ra",
                  "phase_center_app_dec", "phase_center_frame_pa")


def drop(h, *names):
    for n in names:
        if n in h:
            del h[n]


def put(h, name, value):
    drop(h, name)
    h[name] = value


def catalog_entry(h, cid, **fields):
    drop(h, "phase_center_catalog")
    g = h.create_group("phase_center_catalog").create_group(str(cid))
    for k, v in fields.items():
        g[k] = np.bytes_(v) if isinstance(v, str) else v
    put(h, "Nphase", 1)
    put(h, "phase_center_id_array", np.full(h["Nblts"][()], cid, dtype=np.int64))


def enu_uvw(h):
    """East-north-up baselines (pyuvdata's unprojected uvw) from the ECEF antenna offsets."""
    lat, lon = np.radians(h["latitude"][()]), np.radians(h["longitude"][()])
    rot = np.array([[-np.sin(lon), np.cos(lon), 0],
                    [-np.sin(lat) * np.cos(lon), -np.sin(lat) * np.sin(lon), np.cos(lat)],
                    [np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)]])
    index = {n: i for i, n in enumerate(h["antenna_numbers"][:])}
    pos = h["antenna_positions"][:]
    b = pos[[index[a] for a in h["ant_2_array"][:]]] - pos[[index[a] for a in h["ant_1_array"][:]]]
    return b @ rot.T


def reorder(f, order):
    h, d = f["Header"], f["Data"]
    for name in ("ant_1_array", "ant_2_array", "time_array", "lst_array", "integration_time", "uvw_array",
                 "phase_center_id_array", "phase_center_app_ra", "phase_center_app_dec", "phase_center_frame_pa"):
        if name in h:
            put(h, name, h[name][:][order])
    for name in ("visdata", "flags", "nsamples"):
        put(d, name, d[name][:][order])


def variant(name, f):
    h, d = f["Header"], f["Data"]
    if name == "dsa110_legacy":
        drop(h, *CATALOG_EXTRAS)
        put(h, "phase_type", np.bytes_("drift"))
    elif name == "pyuvdata_rewrite":
        catalog_entry(h, 0, cat_name="drift", cat_type="unprojected", cat_frame="altaz", cat_lon=0.0,
                      cat_lat=np.pi / 2, info_source="user")
        drop(h, "phase_center_app_ra", "phase_center_app_dec", "phase_center_frame_pa")
        put(h, "phase_type", np.bytes_("drift"))
    elif name in ("unprojected", "unprojected_plain"):
        w_meridian = h["uvw_array"][:, 2]
        freq = h["freq_array"][()].ravel()
        vis = d["visdata"][:] * np.exp(2j * np.pi * w_meridian[:, None, None] * freq[None, :, None] / C)
        put(d, "visdata", vis.astype(np.complex64))
        put(h, "uvw_array", enu_uvw(h))
        if name == "unprojected":
            catalog_entry(h, 0, cat_name="drift", cat_type="unprojected", cat_frame="altaz", cat_lon=0.0,
                          cat_lat=np.pi / 2, info_source="user")
            drop(h, "phase_center_app_ra", "phase_center_app_dec", "phase_center_frame_pa")
        else:
            drop(h, *CATALOG_EXTRAS)
            drop(h["extra_keywords"], "phase_center_dec", "ha_phase_center")
            put(h, "phase_type", np.bytes_("drift"))
    elif name == "sidereal_legacy":
        g = h["phase_center_catalog"]["0"]
        ra, dec = float(g["cat_lon"][()]), float(g["cat_lat"][()])
        drop(h, *CATALOG_EXTRAS)
        put(h, "phase_type", np.bytes_("phased"))
        put(h, "phase_center_ra", ra)
        put(h, "phase_center_dec", dec)
        put(h, "phase_center_frame", np.bytes_("icrs"))
        put(h, "phase_center_epoch", 2000.0)
    elif name == "sidereal_json":
        g = h["phase_center_catalog"]["0"]
        entry = '{"cat_id": 0, "cat_type": "sidereal", "cat_lon": %r, "cat_lat": %r, "cat_frame": "icrs", ' \
                '"cat_epoch": 2000.0}' % (float(g["cat_lon"][()]), float(g["cat_lat"][()]))
        drop(h, "phase_center_catalog")
        h.create_group("phase_center_catalog")["field_a"] = np.bytes_(entry)
    elif name == "baseline_major":
        n_bls = int(h["Nbls"][()])
        n_times = int(h["Ntimes"][()])
        order = np.arange(n_bls * n_times).reshape(n_times, n_bls).T.ravel()
        reorder(f, order)
    elif name == "conjugated":
        a1, a2 = h["ant_1_array"][:], h["ant_2_array"][:]
        pair = np.unique(np.stack([a1, a2], 1), axis=0, return_inverse=True)[1].ravel()
        turn = pair % 2 == 1
        put(h, "ant_1_array", np.where(turn, a2, a1))
        put(h, "ant_2_array", np.where(turn, a1, a2))
        uvw = h["uvw_array"][:]
        uvw[turn] *= -1
        put(h, "uvw_array", uvw)
        vis = d["visdata"][:]
        vis[turn] = np.conj(vis[turn])
        put(d, "visdata", vis)
    elif name == "autos":
        t = h["time_array"][:]
        ants = np.unique(np.concatenate([h["ant_1_array"][:], h["ant_2_array"][:]]))
        rows = []
        for ti in np.unique(t):
            rows.extend([(np.nonzero(t == ti)[0][0], a) for a in ants])
        first = np.array([r[0] for r in rows])
        extra_ants = np.array([r[1] for r in rows])
        order = np.concatenate([np.arange(len(t)), first])
        reorder(f, order)
        n_old = len(t)
        a1, a2 = h["ant_1_array"][:], h["ant_2_array"][:]
        a1[n_old:] = extra_ants
        a2[n_old:] = extra_ants
        put(h, "ant_1_array", a1)
        put(h, "ant_2_array", a2)
        uvw = h["uvw_array"][:]
        uvw[n_old:] = 0
        put(h, "uvw_array", uvw)
        vis = d["visdata"][:]
        vis[n_old:] = 150.0 + 0j  # total power
        put(d, "visdata", vis)
        # back to time-major with the autos among their integration's baselines
        reorder(f, np.argsort(h["time_array"][:], kind="stable"))
        put(h, "Nblts", len(order))
        put(h, "Nbls", int(h["Nbls"][()]) + len(ants))
    elif name == "ephem":
        catalog_entry(h, 0, cat_name="a comet", cat_type="ephem", cat_frame="icrs", cat_lon=0.5, cat_lat=0.9)
    elif name == "no_statement":
        drop(h, *CATALOG_EXTRAS)
        drop(h, "phase_type")
        drop(h["extra_keywords"], "phase_center_dec", "ha_phase_center")
    elif name == "bad_phase_type":
        drop(h, *CATALOG_EXTRAS)
        put(h, "phase_type", np.bytes_("fringe-stopped"))
    elif name == "uvw_contradicts":
        drop(h, *CATALOG_EXTRAS)
        drop(h["extra_keywords"], "phase_center_dec", "ha_phase_center")
        put(h, "phase_type", np.bytes_("drift"))
    elif name == "bad_frame":
        catalog_entry(h, 0, cat_name="field", cat_type="sidereal", cat_frame="galactic", cat_lon=2.0,
                      cat_lat=0.1)
    elif name == "unknown_id":
        ids = h["phase_center_id_array"][:]
        ids[0] = 7
        put(h, "phase_center_id_array", ids)
    elif name == "no_cat_type":
        del h["phase_center_catalog"]["0"]["cat_type"]
    else:
        raise SystemExit("unknown variant " + name)


SIDEREAL = ("sidereal_legacy", "sidereal_json", "bad_frame")
VARIANTS = ("dsa110_legacy", "pyuvdata_rewrite", "unprojected", "unprojected_plain", "sidereal_legacy", "sidereal_json",
            "baseline_major", "conjugated", "autos", "ephem", "no_statement", "bad_phase_type", "uvw_contradicts",
            "bad_frame", "unknown_id", "no_cat_type")


def main():
    drift_dir, sidereal_dir, out_dir = sys.argv[1:4]
    for name in VARIANTS:
        target = os.path.join(out_dir, name)
        os.makedirs(target, exist_ok=True)
        for src in sorted(glob.glob(os.path.join(sidereal_dir if name in SIDEREAL else drift_dir, "*.hdf5"))):
            dst = os.path.join(target, os.path.basename(src))
            shutil.copyfile(src, dst)
            with h5py.File(dst, "r+") as f:
                variant(name, f)
    print("OK")


if __name__ == "__main__":
    main()
