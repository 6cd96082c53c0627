#!/usr/bin/env python3
"""Writes a small, valid CASA Measurement Set holding point sources, for tests of the imaging adapters.

The array is a pseudo-random layout of N antennas (fixed seed) within a given radius of the DSA-110 site; the
observation is a short snapshot phased to (RA, Dec) (by default the meridian at the mid time, as in a DSA-110
drift scan). Visibilities are computed exactly from the UVW coordinates written to the MS:

    V = sum_s S_s * B(theta_s, nu) * exp(+2 pi i (u l_s + v m_s + w (n_s - 1)))   (+ complex Gaussian noise)

with UVW = position(ANTENNA2) - position(ANTENNA1) projected (l towards east, m towards north): the sign pair under
which WSClean images a source at its true sky position (the adapter test checks the position, so a convention
slip shows up as a mirrored source); B is the DSA-110 Airy primary beam (4.7 m dish) unless --no-beam; XX = YY
(unpolarised sources).

Written with contimg_ms.write_ms (MS v2): DATA (with --corrected: gain-corrupted, and the sky visibilities in
CORRECTED_DATA), FLAG, WEIGHT/SIGMA/WEIGHT_SPECTRUM from the noise, and the subtables. Needs python3-casacore and
numpy.

Exit codes: 0 written, 2 bad arguments, 3 python3-casacore missing, 1 anything else.
"""

import argparse
import json
import math
import os
import sys

import numpy as np

sys.dont_write_bytecode = True  # no __pycache__ in the installation directory
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from contimg_common import C_M_S, airy_power  # noqa: E402
from contimg_ms import casacore_tables, write_ms  # noqa: E402

SITE_LAT_DEG = 37.2314
SITE_LON_DEG = -118.2817
SITE_ALT_M = 1222.0
# WGS84
_A = 6378137.0
_F = 1.0 / 298.257223563


def site_ecef(lat_deg, lon_deg, alt_m):
    lat, lon = math.radians(lat_deg), math.radians(lon_deg)
    e2 = _F * (2 - _F)
    n = _A / math.sqrt(1 - e2 * math.sin(lat) ** 2)
    return np.array([(n + alt_m) * math.cos(lat) * math.cos(lon),
                     (n + alt_m) * math.cos(lat) * math.sin(lon),
                     (n * (1 - e2) + alt_m) * math.sin(lat)])


def enu_to_ecef_delta(enu, lat_deg, lon_deg):
    lat, lon = math.radians(lat_deg), math.radians(lon_deg)
    rot = np.array([[-math.sin(lon), -math.sin(lat) * math.cos(lon), math.cos(lat) * math.cos(lon)],
                    [math.cos(lon), -math.sin(lat) * math.sin(lon), math.cos(lat) * math.sin(lon)],
                    [0.0, math.cos(lat), math.sin(lat)]])
    return enu @ rot.T


def gmst_rad(mjd_utc):
    """Greenwich mean sidereal time (IAU 1982 expression, good to ~0.1 s for tests)."""
    d = mjd_utc - 51544.5
    deg = 280.46061837 + 360.98564736629 * d
    return math.radians(deg % 360.0)


def uvw_m(baseline_ecef, gha, dec):
    """Baseline (ECEF metres) -> (u, v, w) metres towards (Greenwich hour angle gha, dec)."""
    lx, ly, lz = baseline_ecef[..., 0], baseline_ecef[..., 1], baseline_ecef[..., 2]
    sh, ch, sd, cd = math.sin(gha), math.cos(gha), math.sin(dec), math.cos(dec)
    u = sh * lx + ch * ly
    v = -sd * ch * lx + sd * sh * ly + cd * lz
    w = cd * ch * lx - cd * sh * ly + sd * lz
    return np.stack([u, v, w], axis=-1)


def direction_cosines(ra, dec, ra0, dec0):
    dra = ra - ra0
    l = math.cos(dec) * math.sin(dra)
    m = math.sin(dec) * math.cos(dec0) - math.cos(dec) * math.sin(dec0) * math.cos(dra)
    n = math.sin(dec) * math.sin(dec0) + math.cos(dec) * math.cos(dec0) * math.cos(dra)
    return l, m, n


def parse_args(argv):
    p = argparse.ArgumentParser(description="Write a small Measurement Set with point sources (for tests).")
    p.add_argument("ms", help="output Measurement Set directory (replaced if it exists)")
    p.add_argument("--antennas", type=int, default=24)
    p.add_argument("--radius-m", type=float, default=150.0, help="array radius (metres)")
    p.add_argument("--times", type=int, default=8, help="number of integrations")
    p.add_argument("--integration-s", type=float, default=12.88)
    p.add_argument("--channels", type=int, default=8)
    p.add_argument("--freq-start-hz", type=float, default=1.3114e9)
    p.add_argument("--chan-width-hz", type=float, default=244140.625 * 6)
    p.add_argument("--mjd", type=float, default=60972.56, help="start time (MJD, UTC)")
    p.add_argument("--ra-deg", type=float, default=None, help="phase centre RA (default: LST at the mid time)")
    p.add_argument("--dec-deg", type=float, default=54.57, help="phase centre Dec")
    p.add_argument("--source", action="append", default=[], metavar="RA_DEG,DEC_DEG,FLUX_JY",
                   help="a point source (repeatable); default: one 1 Jy source 0.4 deg east and 0.25 deg north")
    p.add_argument("--noise-jy", type=float, default=0.005, help="rms per visibility real/imag part")
    p.add_argument("--no-beam", action="store_true", help="do not attenuate sources by the primary beam")
    p.add_argument("--corrected", action="store_true",
                   help="write the sky visibilities to CORRECTED_DATA and corrupt DATA with random per-antenna "
                        "gains (as an uncalibrated MS), so a test can tell which column was imaged")
    p.add_argument("--flag-longer-than-m", type=float, default=None,
                   help="flag every visibility of baselines longer than this (metres), to test flag handling")
    p.add_argument("--seed", type=int, default=110)
    p.add_argument("--truth", help="write the sources and the phase centre as JSON here")
    a = p.parse_args(argv)
    if a.antennas < 3 or a.times < 1 or a.channels < 1 or a.radius_m <= 0:
        p.error("need >= 3 antennas, >= 1 integration, >= 1 channel and a positive radius")
    return a


def main(argv):
    a = parse_args(argv)
    if casacore_tables() is None:
        print("error: python3-casacore is not installed (import casacore.tables failed)", file=sys.stderr)
        return 3
    rng = np.random.default_rng(a.seed)

    # array: uniform in a disc, at least 6 m apart (4.7 m dishes)
    enu = []
    while len(enu) < a.antennas:
        r = a.radius_m * math.sqrt(rng.random())
        phi = 2 * math.pi * rng.random()
        p = np.array([r * math.cos(phi), r * math.sin(phi), 0.0])
        if all(np.linalg.norm(p - q) >= 6.0 for q in enu):
            enu.append(p)
    enu = np.array(enu)
    centre = site_ecef(SITE_LAT_DEG, SITE_LON_DEG, SITE_ALT_M)
    ant_ecef = centre + enu_to_ecef_delta(enu, SITE_LAT_DEG, SITE_LON_DEG)

    times_mjd = a.mjd + (np.arange(a.times) + 0.5) * a.integration_s / 86400.0
    mid = float(times_mjd.mean())
    lst_mid = (gmst_rad(mid) + math.radians(SITE_LON_DEG)) % (2 * math.pi)
    ra0 = math.radians(a.ra_deg) if a.ra_deg is not None else lst_mid
    dec0 = math.radians(a.dec_deg)

    sources = []
    for s in a.source:
        try:
            ra, dec, flux = (float(x) for x in s.split(","))
        except ValueError:
            print(f"error: --source wants RA_DEG,DEC_DEG,FLUX_JY, got {s!r}", file=sys.stderr)
            return 2
        sources.append((ra, dec, flux))
    if not sources:
        sources.append((math.degrees(ra0) + 0.4 / math.cos(dec0), math.degrees(dec0) + 0.25, 1.0))

    freqs = a.freq_start_hz + np.arange(a.channels) * a.chan_width_hz
    pairs = [(i, j) for i in range(a.antennas) for j in range(i + 1, a.antennas)]
    a1 = np.array([p[0] for p in pairs], dtype=np.int32)
    a2 = np.array([p[1] for p in pairs], dtype=np.int32)
    nbl = len(pairs)
    nrow = nbl * a.times

    uvw = np.empty((nrow, 3))
    time_s = np.empty(nrow)
    for t, mjd in enumerate(times_mjd):
        gha = gmst_rad(mjd) - ra0
        # casacore's convention (MSUVWGenerator): UVW = position(ANTENNA2) - position(ANTENNA1), projected
        uvw[t * nbl:(t + 1) * nbl] = uvw_m(ant_ecef[a2] - ant_ecef[a1], gha, dec0)
        time_s[t * nbl:(t + 1) * nbl] = mjd * 86400.0

    data = np.zeros((nrow, a.channels, 2), dtype=np.complex64)
    truth = []
    for ra_deg, dec_deg, flux in sources:
        l, m, n = direction_cosines(math.radians(ra_deg), math.radians(dec_deg), ra0, dec0)
        sin_theta = math.sqrt(max(0.0, 1.0 - n * n))
        beam = np.ones(a.channels) if a.no_beam else airy_power(np.full(a.channels, sin_theta), freqs)
        wl = freqs / C_M_S  # 1/lambda per channel
        phase = 2j * math.pi * (uvw[:, 0:1] * l + uvw[:, 1:2] * m + uvw[:, 2:3] * (n - 1.0)) * wl[None, :]
        vis = flux * beam[None, :] * np.exp(phase)
        data[:, :, 0] += vis.astype(np.complex64)
        data[:, :, 1] += vis.astype(np.complex64)
        truth.append({"ra_deg": ra_deg, "dec_deg": dec_deg, "flux_jy": flux,
                      "apparent_flux_jy": float(flux * beam.mean())})
    if a.noise_jy > 0:
        noise = rng.normal(0.0, a.noise_jy, size=data.shape) + 1j * rng.normal(0.0, a.noise_jy, size=data.shape)
        data += noise.astype(np.complex64)

    raw = data
    if a.corrected:
        gains = rng.uniform(0.7, 1.3, a.antennas) * np.exp(2j * math.pi * rng.random(a.antennas))
        g = np.tile(gains[a1] * np.conj(gains[a2]), a.times)
        raw = (data * g[:, None, None]).astype(np.complex64)

    flagged = np.zeros(nrow, dtype=bool)
    if a.flag_longer_than_m is not None:
        flagged = np.linalg.norm(uvw, axis=1) > a.flag_longer_than_m
    sigma = max(a.noise_jy, 1e-3) * math.sqrt(2.0)
    write_ms(a.ms, telescope="DSA_110", antenna_names=[f"pad{i + 1}" for i in range(a.antennas)],
             antenna_itrf=ant_ecef, freqs_hz=freqs, chan_width_hz=a.chan_width_hz, pols=[-5, -6],
             time_mjd_s=time_s, interval_s=np.full(nrow, a.integration_s), ant1=np.tile(a1, a.times),
             ant2=np.tile(a2, a.times), uvw_m=uvw, field_id=np.zeros(nrow, dtype=int),
             field_names=["meridian_icrs_t0"], phase_dirs=np.array([[ra0, dec0]]), data=raw,
             flag=np.repeat(flagged[:, None, None], a.channels * 2, axis=1).reshape(nrow, a.channels, 2),
             weight_spectrum=np.full((nrow, a.channels, 2), 1.0 / sigma ** 2, dtype=np.float32),
             columns={"CORRECTED_DATA": data} if a.corrected else None, direction_frame="J2000",
             observer="make_test_ms.py")

    doc = {"ms": os.path.abspath(a.ms), "phase_centre": {"ra_deg": math.degrees(ra0), "dec_deg": math.degrees(dec0)},
           "mid_mjd": mid, "rows": nrow, "channels": a.channels, "antennas": a.antennas,
           "freq_min_hz": float(freqs.min()), "freq_max_hz": float(freqs.max()), "flagged_rows": int(flagged.sum()),
           "sources": truth}
    if a.truth:
        with open(a.truth, "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=2)
            f.write("\n")
    print(f"wrote {a.ms}: {a.antennas} antennas, {nrow} rows, {a.channels} channels, {len(truth)} source(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
