"""Helpers shared by the processors/ adapters (numpy only; no hub imports).

- the DSA-110 primary beam (Airy pattern of a 4.7 m dish, science.md);
- a minimal reader/writer for single-HDU FITS images as WSClean writes them (BITPIX -32/-64), so that the
  adapters need neither astropy nor a FITS library to compute image statistics or a primary-beam-corrected copy.

The exec contract itself (exit codes, parameters, manifest) is in contimg_exec.py (standard library only).
"""

import math
import os

import numpy as np

C_M_S = 299792458.0
DISH_DIAMETER_M = 4.7


_J1_CHUNK = 8192  # values per Simpson evaluation: bounds the (values x 201 nodes) temporaries to ~13 MB each


def bessel_j1(x):
    """J1(x) by the integral J1(x) = (1/pi) * int_0^pi cos(t - x sin t) dt (Simpson, accurate to ~1e-10 for x < 50).

    Evaluated in chunks: the integrand is a (values x nodes) array, and one float64 array of 201 nodes per value
    (two with the temporaries) made the whole-image call need 3.2 kB per pixel, 27 GB at 2900^2
    (docs/performance.md, "WSClean adapter memory")."""
    x = np.asarray(x, dtype=np.float64)
    n = 200  # even
    t = np.linspace(0.0, math.pi, n + 1)
    w = np.ones(n + 1)
    w[1:-1:2] = 4.0
    w[2:-1:2] = 2.0
    w *= (math.pi / n) / 3.0
    sin_t = np.sin(t)
    flat = x.reshape(-1)
    out = np.empty_like(flat)
    for start in range(0, flat.size, _J1_CHUNK):
        part = flat[start:start + _J1_CHUNK, None]
        out[start:start + _J1_CHUNK] = np.cos(t[None, :] - part * sin_t[None, :]) @ w
    return (out / math.pi).reshape(x.shape)


def airy_power(sin_theta, freq_hz, diameter_m=DISH_DIAMETER_M):
    """Primary-beam power response (2 J1(x) / x)^2 with x = pi D sin(theta) / lambda; 1 on axis."""
    s = np.asarray(sin_theta, dtype=np.float64)
    x = math.pi * diameter_m * s * freq_hz / C_M_S
    out = np.ones_like(x)
    nz = np.abs(x) > 1e-9
    out[nz] = (2.0 * bessel_j1(x[nz]) / x[nz]) ** 2
    return out


def unit_vectors(ra_rad, dec_rad):
    """ICRS unit vectors (..., 3) of (ra, dec) in radians."""
    ra = np.asarray(ra_rad, dtype=np.float64)
    dec = np.asarray(dec_rad, dtype=np.float64)
    return np.stack([np.cos(dec) * np.cos(ra), np.cos(dec) * np.sin(ra), np.sin(dec)], axis=-1)


def sin_lm_to_unit(l, m, ra0_rad, dec0_rad):
    """Unit vectors of the direction cosines (l, m) of a SIN projection about (ra0, dec0) (l east, m north);
    NaN outside the unit disc."""
    l = np.asarray(l, dtype=np.float64)
    m = np.asarray(m, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        n = np.sqrt(1.0 - l * l - m * m)
    sd, cd = math.sin(dec0_rad), math.cos(dec0_rad)
    sa, ca = math.sin(ra0_rad), math.cos(ra0_rad)
    # the (east, north, centre) basis at the projection centre, in ICRS
    east = np.array([-sa, ca, 0.0])
    north = np.array([-sd * ca, -sd * sa, cd])
    centre = np.array([cd * ca, cd * sa, sd])
    return l[..., None] * east + m[..., None] * north + n[..., None] * centre


def mean_airy_power(directions, pointings, weights, freq_hz, diameter_m=DISH_DIAMETER_M):
    """The drift scan's effective primary beam at unit vectors ``directions`` (..., 3): the weighted mean of the Airy
    responses to every pointing, B_eff = sum_t w_t B(theta_t, nu) / sum_t w_t (docs/radio-stages.md, "Primary-beam
    correction"; the builtin imaging's PrimaryBeamCorrection with BeamPointings). ``pointings`` (n, 3) unit vectors,
    ``weights`` (n,) the data weight taken at each; theta_t from atan2(|a x b|, a.b) (accurate at small angles).
    Directions containing NaN give 0."""
    d = np.asarray(directions, dtype=np.float64)
    flat = d.reshape(-1, 3)
    w = np.asarray(weights, dtype=np.float64)
    total = float(w.sum())
    out = np.zeros(flat.shape[0])
    if total <= 0:
        raise ValueError("the pointings carry no weight")
    ok = np.all(np.isfinite(flat), axis=1)
    for p, wt in zip(np.asarray(pointings, dtype=np.float64).reshape(-1, 3), w):
        if wt <= 0:
            continue
        cross = np.linalg.norm(np.cross(flat[ok], p), axis=1)
        theta = np.arctan2(cross, flat[ok] @ p)
        out[ok] += wt * airy_power(np.sin(theta), freq_hz, diameter_m)
    return (out / total).reshape(d.shape[:-1])


# ---------------------------------------------------------------- FITS (primary HDU images only)

_BLOCK = 2880


def read_fits_image(path):
    """Returns (cards, data): cards = list of 80-char header cards (without END), data = the image in FITS axis
    order reversed (numpy order: last FITS axis first), native float32 for BITPIX -32 (WSClean's), else float64.

    Read straight into the array (no copy of the whole file as bytes, no float64 copy of a float32 image): one
    image's worth of memory."""
    cards = []
    with open(path, "rb") as f:
        while True:
            block = f.read(_BLOCK)
            if len(block) < _BLOCK:
                raise ValueError(f"{path}: truncated FITS header")
            text = block.decode("ascii", errors="replace")
            done = False
            for i in range(0, _BLOCK, 80):
                card = text[i:i + 80]
                if card.startswith("END") and card[3:].strip() == "":
                    done = True
                    break
                cards.append(card)
            if done:
                break
        hdr = header_dict(cards)
        bitpix = int(hdr["BITPIX"])
        naxis = int(hdr["NAXIS"])
        shape = [int(hdr[f"NAXIS{i}"]) for i in range(naxis, 0, -1)]
        dtype = {-32: ">f4", -64: ">f8", 16: ">i2", 32: ">i4"}.get(bitpix)
        if dtype is None:
            raise ValueError(f"{path}: unsupported BITPIX {bitpix}")
        count = int(np.prod(shape)) if shape else 0
        data = np.fromfile(f, dtype=dtype, count=count)
    if data.size < count:
        raise ValueError(f"{path}: truncated FITS data ({data.size} of {count} values)")
    data = data.reshape(shape)
    if bitpix > 0:
        return cards, data * float(hdr.get("BSCALE", 1.0)) + float(hdr.get("BZERO", 0.0))
    # byte order swapped in place: the same buffer, native order
    return cards, data.byteswap(inplace=True).view(data.dtype.newbyteorder("="))


def header_dict(cards):
    """Keyword -> value (str without quotes, float/int/bool when numeric/logical)."""
    out = {}
    for card in cards:
        key = card[:8].strip()
        if not key or card[8:10] != "= ":
            continue
        val = card[10:]
        if val.lstrip().startswith("'"):
            s = val.lstrip()[1:]
            end = s.find("'")
            while end >= 0 and s[end + 1:end + 2] == "'":
                end = s.find("'", end + 2)
            out[key] = s[:end].replace("''", "'").rstrip() if end >= 0 else s.rstrip()
            continue
        val = val.split("/")[0].strip()
        if val in ("T", "F"):
            out[key] = val == "T"
        else:
            try:
                out[key] = int(val)
            except ValueError:
                try:
                    out[key] = float(val.replace("D", "E"))
                except ValueError:
                    out[key] = val
    return out


def _card(key, value, comment=""):
    if isinstance(value, str):
        v = "'" + value.replace("'", "''").ljust(8) + "'"
        text = f"{key:<8}= {v:<20}"
    elif isinstance(value, bool):
        text = f"{key:<8}= {('T' if value else 'F'):>20}"
    elif isinstance(value, int):
        text = f"{key:<8}= {value:>20d}"
    else:
        text = f"{key:<8}= {repr(float(value)).upper():>20}"
    if comment:
        text += " / " + comment
    return text[:80].ljust(80)


def write_fits_image(path, cards, data, set_keys=None, history=None):
    """Writes a BITPIX -32 primary-HDU image with the given header cards (BITPIX/BSCALE/BZERO fixed up),
    keywords in set_keys replaced or appended before END, and HISTORY lines appended. Atomic (temp + rename)."""
    set_keys = dict(set_keys or {})
    set_keys["BITPIX"] = -32
    out_cards = []
    for card in cards:
        key = card[:8].strip()
        if key in ("BSCALE", "BZERO", "BLANK"):
            continue
        if key in set_keys:
            out_cards.append(_card(key, set_keys.pop(key)))
        else:
            out_cards.append(card.ljust(80)[:80])
    for key, value in set_keys.items():
        out_cards.append(_card(key, value))
    for line in history or []:
        out_cards.append(("HISTORY " + line)[:80].ljust(80))
    out_cards.append("END".ljust(80))
    header = "".join(out_cards)
    header += " " * ((-len(header)) % _BLOCK)
    flat = np.asarray(data).reshape(-1)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(header.encode("ascii"))
        step = 1 << 20  # values per write: the big-endian copy stays 4 MB whatever the image size
        for start in range(0, flat.size, step):
            f.write(flat[start:start + step].astype(">f4").tobytes())
        f.write(b"\0" * ((-4 * flat.size) % _BLOCK))
    os.replace(tmp, path)


def robust_rms(values):
    """1.4826 * median absolute deviation of the finite values (science.md image QA)."""
    v = np.asarray(values)
    v = v[np.isfinite(v)]  # a copy in the image's own type (float32 for WSClean's images)
    if v.size == 0:
        return float("nan")
    med = np.median(v)
    np.subtract(v, med, out=v)
    np.abs(v, out=v)
    return float(1.4826 * np.median(v))
