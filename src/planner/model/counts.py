"""Opportunity counts per month and path: exact Poisson / negative-binomial draws from raw random bits.

Why not numpy's samplers: inverting the count CDF with one uniform per draw
is exact, several times faster here, and monotone in the mean for a fixed
draw, so every brand share sees the same luck (common random numbers) and the
optimiser's curves stay smooth. Campaign months come in streaks (`streaky`).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

_F = np.float32
_GUIDE_BITS = 11  # at most a 2048-slice guide table for the inverse-CDF count sampler
_MIN_GUIDE_BITS = 8


def streaky(bits: np.ndarray, streak: np.ndarray, persistence: float) -> np.ndarray:
    """Random bits where each month repeats last month's with probability `persistence`.

    Every month's bits stay uniformly distributed (so counts keep their exact
    negative-binomial distribution), but good and bad campaign months come in
    streaks, as they do when a channel works for a while and then stops.

    The month-to-month carry is a branch-free bit blend, out[t] = bits[t] ^
    ((out[t-1] ^ bits[t]) & mask[t]) with mask all ones where the streak
    continues: three in-place integer operations per month, several times
    faster than a masked copy.
    """
    if persistence <= 0 or bits.shape[0] < 2:
        return bits
    threshold = np.uint32(min(int(persistence * 2.0**32), 2**32 - 1))
    mask = (streak < threshold).view(np.uint8).astype(np.uint32)
    np.negative(mask, out=mask)  # 1 -> 0xFFFFFFFF, 0 -> 0
    out = bits.copy()
    diff = np.empty(bits.shape[1], dtype=np.uint32)
    for t in range(1, bits.shape[0]):
        np.bitwise_xor(out[t - 1], out[t], out=diff)
        diff &= mask[t]
        out[t] ^= diff
    return out


def count_cdf(mean: np.ndarray, shape: float) -> np.ndarray:
    """CDF table (T, K) of Poisson(mean) or negative binomial(mean, shape) counts, K covering the tail."""
    mean = np.maximum(np.asarray(mean, dtype=np.float64), 0.0)
    top = float(mean.max()) if mean.size else 0.0
    poisson = not np.isfinite(shape)
    sd = math.sqrt(top + (0.0 if poisson else top * top / shape))
    k_max = int(top + 14.0 * sd + 20.0)
    if not poisson:
        # the gamma tail is exponential, not normal: cover it explicitly
        k_max = max(k_max, int(top * (1.0 + 40.0 / shape) + 20.0))
    k_max = min(k_max, 200_000)
    k = np.arange(1, k_max, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore", under="ignore"):
        if poisson:
            pmf0 = np.exp(-mean)
            ratios = mean[:, None] / k[None, :]
        else:
            p = shape / (shape + mean)
            pmf0 = p**shape
            ratios = ((k - 1.0 + shape) / k)[None, :] * (1.0 - p)[:, None]
        pmf = np.concatenate([pmf0[:, None], pmf0[:, None] * np.cumprod(ratios, axis=1)], axis=1)
    cdf = np.cumsum(pmf, axis=1)
    # trim columns every month has already passed (saves memory and searching)
    done = (cdf >= 1.0 - 1e-10).all(axis=0)
    if done.any():
        cdf = cdf[:, : int(np.argmax(done)) + 1]
    cdf[:, -1] = 2.0  # the sampler stops here at the latest
    return cdf


def _guide_table(cdf: np.ndarray, bits: int = _GUIDE_BITS) -> np.ndarray:
    """(T * 2**bits,) float32: the count for each slice of [0, 1), or -1 - (lowest count) if it is ambiguous.

    Slice j of month t is [j/2048, (j+1)/2048) (for 11 bits); scaling the CDF by 2048 is
    exact. The lowest count in slice j is #{k: cdf[t, k] * 2048 <= j}, a step
    function of j: count k fills the slices from ceil(cdf[k-1] * 2048) up to
    ceil(cdf[k] * 2048), so each row is one `np.repeat`. A slice is ambiguous
    (the count changes inside it) exactly when some cdf * 2048 lies strictly
    between j and j + 1, i.e. j = floor of a non-integer scaled value.
    """
    months, width = cdf.shape
    size = 1 << bits
    scaled = cdf * size
    steps = np.fmin(np.ceil(scaled), size)  # the last column (cdf = 2) ends every row at `size`
    repeats = np.diff(steps, axis=1, prepend=0.0).astype(np.intp)
    counts = np.broadcast_to(np.arange(width, dtype=_F), cdf.shape).ravel()
    table = np.repeat(counts, repeats.ravel())
    inside = (scaled < steps) & (scaled < size)
    rows = np.broadcast_to((np.arange(months) * size)[:, None], cdf.shape)
    ambiguous = scaled[inside].astype(np.intp) + rows[inside]
    table[ambiguous] = -1.0 - table[ambiguous]
    return table


def _resolve_ambiguous(
    cdf: np.ndarray, bits: np.ndarray, rows: np.ndarray, lowest: npt.NDArray[np.intp]
) -> npt.NDArray[np.intp]:
    """Exact counts #{k: cdf[row, k] <= u}, u = (bits + 0.5) / 2**32, for draws in ambiguous slices.

    In integers: cdf * 2**32 <= bits + 0.5 exactly when ceil(cdf * 2**32 - 0.5)
    <= bits (all exact in float64). Almost every ambiguous slice holds a single
    CDF step, so one comparison with the threshold after the slice's lowest
    count settles the draw; the rest (far tails, where steps crowd together)
    take a binary search.
    """
    width = cdf.shape[1]
    thresholds = np.ceil(cdf * 2.0**32 - 0.5).astype(np.int64).ravel()
    at = rows * width + lowest
    b = bits.astype(np.int64)
    stepped = thresholds[at] <= b  # the last column is 2**33: never passed, never out of range
    count: npt.NDArray[np.intp] = lowest + stepped
    at += stepped
    unsure = np.flatnonzero(stepped & (thresholds[at] <= b))
    if unsure.size:
        # one sorted array for all months: row r's thresholds offset by r * 2**34 (> 2**33 >= any threshold)
        offsets = (np.arange(cdf.shape[0], dtype=np.int64) << 34).repeat(width)
        r = rows[unsure].astype(np.int64)
        found = np.searchsorted(thresholds + offsets, b[unsure] + (r << 34), side="right")
        count[unsure] = found - r * width
    return count


def sample_counts(bits: np.ndarray, cdf: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Exact inverse-CDF counts (float32, like `bits`' shape): for u uniform, the smallest k with cdf[t, k] > u.

    The top 11 bits of each random integer pick one of 2048 equal slices of
    [0, 1). For almost every slice the answer is the same anywhere in it, so a
    table lookup is the whole draw; only the few slices that straddle a CDF
    step (a few draws in a hundred) need all 32 bits (`_resolve_ambiguous`).
    With few paths per month the table would cost more than the draws, so it
    has about one slice per path (8 to 11 bits); the counts are the same
    exact draws whatever its size, only the share of ambiguous slices changes.
    Several times faster than numpy's Poisson/negative-binomial samplers, and
    monotone in the mean for a fixed draw, which keeps the optimiser's curves
    smooth. Indices stay uint32 (numpy's take accepts them), which avoids an
    int64 copy of every draw.
    """
    months, paths = bits.shape
    guide_bits = min(_GUIDE_BITS, max(_MIN_GUIDE_BITS, paths.bit_length()))
    shift = np.uint32(32 - guide_bits)
    index = bits >> shift
    index |= (np.arange(months, dtype=np.uint32) << np.uint32(guide_bits))[:, None]
    k = _guide_table(cdf, guide_bits).take(index, out=out, mode="clip")  # indices are in range; 'clip' avoids buffering out
    flat = k.reshape(-1)
    ambiguous = np.flatnonzero(flat < 0)
    if ambiguous.size:
        lowest = (-1.0 - flat[ambiguous]).astype(np.intp)
        flat[ambiguous] = _resolve_ambiguous(cdf, bits.reshape(-1)[ambiguous], ambiguous // paths, lowest)
    return k
