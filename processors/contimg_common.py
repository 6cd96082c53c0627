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


def bessel_j1(x):
    """J1(x) by the integral J1(x) = (1/pi) * int_0^pi cos(t - x sin t) dt (Simpson, accurate to ~1e-10 for x < 50)."""
    x = np.asarray(x, dtype=np.float64)
    n = 200  # even
    t = np.linspace(0.0, math.pi, n + 1)
    w = np.ones(n + 1)
    w[1:-1:2] = 4.0
    w[2:-1:2] = 2.0
    w *= (math.pi / n) / 3.0
    flat = x.reshape(-1, 1)
    vals = np.cos(t[None, :] - flat * np.sin(t)[None, :]) @ w
    return (vals / math.pi).reshape(x.shape)


def airy_power(sin_theta, freq_hz, diameter_m=DISH_DIAMETER_M):
    """Primary-beam power response (2 J1(x) / x)^2 with x = pi D sin(theta) / lambda; 1 on axis."""
    s = np.asarray(sin_theta, dtype=np.float64)
    x = math.pi * diameter_m * s * freq_hz / C_M_S
    out = np.ones_like(x)
    nz = np.abs(x) > 1e-9
    out[nz] = (2.0 * bessel_j1(x[nz]) / x[nz]) ** 2
    return out


# ---------------------------------------------------------------- FITS (primary HDU images only)

_BLOCK = 2880


def read_fits_image(path):
    """Returns (cards, data): cards = list of 80-char header cards (without END), data = float64 array in FITS axis
    order reversed (numpy order: last FITS axis first)."""
    with open(path, "rb") as f:
        raw = f.read()
    cards = []
    pos = 0
    while True:
        if pos + _BLOCK > len(raw):
            raise ValueError(f"{path}: truncated FITS header")
        block = raw[pos:pos + _BLOCK].decode("ascii", errors="replace")
        pos += _BLOCK
        done = False
        for i in range(0, _BLOCK, 80):
            card = block[i:i + 80]
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
    data = np.frombuffer(raw, dtype=dtype, count=count, offset=pos).astype(np.float64).reshape(shape)
    if bitpix > 0:
        data = data * float(hdr.get("BSCALE", 1.0)) + float(hdr.get("BZERO", 0.0))
    return cards, data


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
    body = np.ascontiguousarray(data, dtype=">f4").tobytes()
    body += b"\0" * ((-len(body)) % _BLOCK)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(header.encode("ascii"))
        f.write(body)
    os.replace(tmp, path)


def robust_rms(values):
    """1.4826 * median absolute deviation of the finite values (science.md image QA)."""
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return float("nan")
    return float(1.4826 * np.median(np.abs(v - np.median(v))))
