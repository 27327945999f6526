"""Monte Carlo engine: a budget scenario -> paths x months of pipeline, wins and revenue.

Why it is fast enough to redraw while a slider moves (10,000 paths x 36
months in a few milliseconds): nothing is simulated per deal. Spend, brand
awareness, win rates and prices do not depend on luck, so they are computed
once per month (`Plan`). Luck enters in two places per path and month:

1. How many opportunities each stream creates: Poisson for intent and existing
   business, negative binomial (gamma-Poisson) for campaign-driven demand,
   drawn exactly by inverting the count distribution's CDF with one uniform.
   Using the same uniforms for every brand share (common random numbers)
   makes the optimiser's curve smooth.
2. How much revenue closes: each opportunity of cohort t is won and closes in
   month m with probability q = win_rate_t * lag_pmf[m - t]. Summed over
   opportunities, month m's revenue has mean M = sum_t N_t q (price x size)
   and variance V = sum_t N_t q E[(price x size)^2] (compound Poisson; the
   q^2 correction is under a few per cent and dropped). Both sums are one
   matrix product over all paths. Revenue is then drawn as a lognormal with
   that mean and variance (Fenton-Wilkinson: the standard approximation of a
   sum of lognormal deal sizes).

Today's open pipeline is added month by month from the calibration.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from planner.io.types import Budget
from planner.model.calibrate import Calibration
from planner.model.response import geometric_adstock, hill
from planner.scenario.document import Scenario, apply_to_budget

_F = np.float32


def _find_blas_thread_setter() -> Callable[[int], int] | None:
    """OpenBLAS's thread-local `openblas_set_num_threads_local`, if numpy ships OpenBLAS.

    The landing matrix product is small (about 100 x 100 times 100 x 10,000);
    split over two threads on a shared 2-core machine, one thread often waits
    for the other to be scheduled and the product takes 10x longer. Setting
    the count for this thread only (and restoring it) touches nothing else.
    """
    try:
        import ctypes
        import glob
        import os

        root = os.path.dirname(os.path.dirname(np.__file__))
        for pattern in ("numpy.libs/*openblas*", "numpy/.libs/*openblas*", "numpy.libs/*openblas*.dll"):
            for path in glob.glob(os.path.join(root, pattern)):
                lib = ctypes.CDLL(path)
                fn = getattr(lib, "openblas_set_num_threads_local", None)
                if fn is not None:
                    fn.argtypes = [ctypes.c_int]
                    fn.restype = ctypes.c_int
                    return fn
    except Exception:  # any platform quirk: fall back to numpy's default threading
        return None
    return None


_SET_BLAS_THREADS = _find_blas_thread_setter()


def _matmul_one_thread(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if _SET_BLAS_THREADS is None:
        return a @ b
    previous = _SET_BLAS_THREADS(1)
    try:
        return a @ b
    finally:
        _SET_BLAS_THREADS(max(int(previous), 1))
_GUIDE_BITS = 11  # 2048-slice guide table for the inverse-CDF count sampler


@dataclass(frozen=True)
class Plan:
    """Everything about the future that does not depend on luck, month by month."""

    labels: tuple[str, ...]  # "YYYY-MM"
    streams: tuple[str, ...]
    spend_brand: np.ndarray  # (T,)
    spend_demand: np.ndarray  # (T,)
    awareness: np.ndarray  # (T,) saturated brand level in [0, 1)
    mql_rate: np.ndarray  # (T,) expected MQLs
    volume: np.ndarray  # (S, T) expected opportunities created
    win_rate: np.ndarray  # (S, T) win rate of opportunities created that month
    price: np.ndarray  # (S, T) price realisation relative to today
    dispersion: np.ndarray  # (S,) gamma shape of the volume (inf = Poisson)

    @property
    def months(self) -> int:
        return len(self.labels)


@dataclass(frozen=True)
class Noise:
    """The random numbers of one run; reused across brand shares for common random numbers."""

    counts: np.ndarray  # (S, T, P) uint32 random bits, one per opportunity count
    normal: np.ndarray  # (T, P) standard normals
    streak: np.ndarray  # (T, P) uint32 random bits: does a campaign streak continue this month?


@dataclass(frozen=True)
class Result:
    """Simulated months for every path. Public arrays are shaped (paths, months)."""

    months: int
    paths: int
    seed: int
    labels: tuple[str, ...]
    streams: tuple[str, ...]
    brand_share: float  # brand's share of spend over the horizon
    spend_brand: np.ndarray  # (months,)
    spend_demand: np.ndarray  # (months,)
    awareness: np.ndarray  # (months,)
    win_rates: np.ndarray  # (streams, months) expected win rate of each month's new opportunities
    price: np.ndarray  # (streams, months)
    gross_margin_pct_monthly: np.ndarray  # (months,) expected, after price realisation
    revenue_existing_mean: np.ndarray  # (months,) expected revenue from existing business
    wins_existing_mean: np.ndarray  # (months,) expected wins closing in existing business
    opp_amount: np.ndarray = field(repr=False)  # (streams,) average opportunity amount
    counts_tp: np.ndarray = field(repr=False)  # (streams, months, paths) opportunities created
    revenue_tp: np.ndarray = field(repr=False)  # (months, paths)
    wins_tp: np.ndarray = field(repr=False)  # (months, paths) expected wins closing, given the path
    mqls_tp: np.ndarray = field(repr=False)  # (months, paths)

    # --- (paths, months) views, computed on first use -------------------------------------
    @property
    def revenue(self) -> np.ndarray:
        return self.revenue_tp.T

    @property
    def wins(self) -> np.ndarray:
        return self.wins_tp.T

    @property
    def mqls(self) -> np.ndarray:
        return self.mqls_tp.T

    def opportunities(self, stream: str) -> np.ndarray:
        """Opportunities created per (path, month) in one stream (zeros if the stream is absent)."""
        if stream not in self.streams:
            return np.zeros((self.paths, self.months), dtype=_F)
        return self.counts_tp[self.streams.index(stream)].T

    def _pipeline_tp(self, stream: str) -> np.ndarray:
        if stream not in self.streams:
            return np.zeros((self.months, self.paths), dtype=_F)
        i = self.streams.index(stream)
        return self.counts_tp[i] * (self.opp_amount[i] * self.price[i]).astype(_F)[:, None]

    @cached_property
    def pipeline_intent(self) -> np.ndarray:
        return self._pipeline_tp("intent").T

    @cached_property
    def pipeline_demand(self) -> np.ndarray:
        return self._pipeline_tp("demand").T

    @cached_property
    def pipeline_existing(self) -> np.ndarray:
        return self._pipeline_tp("existing").T

    @cached_property
    def qualified_pipeline(self) -> np.ndarray:
        """Pipeline weighted by each opportunity's win rate: what sales can expect to close."""
        weights = (self.opp_amount[:, None] * self.price * self.win_rates).astype(_F)
        return np.einsum("stp,st->tp", self.counts_tp, weights).T

    @cached_property
    def gross_margin(self) -> np.ndarray:
        return (self.revenue_tp * self.gross_margin_pct_monthly.astype(_F)[:, None]).T

    @property
    def spend(self) -> np.ndarray:
        return self.spend_brand + self.spend_demand


# ----------------------------------------------------------------------------- planning


def month_labels(first: str, months: int) -> tuple[str, ...]:
    year, month = int(first[:4]), int(first[5:7])
    out = []
    for i in range(months):
        y, m = divmod(month - 1 + i, 12)
        out.append(f"{year + y:04d}-{m + 1:02d}")
    return tuple(out)


def _extend(values: np.ndarray, months: int) -> np.ndarray:
    """Spend for `months` months: past the budget's end, its last 12 months repeat."""
    values = np.asarray(values, dtype=np.float64)
    if values.size == 0:
        return np.zeros(months)
    if values.size >= months:
        return values[:months].copy()
    period = values[-min(12, values.size):]
    reps = math.ceil((months - values.size) / period.size)
    return np.concatenate([values, np.tile(period, reps)])[:months]


def _first_month(calibration: Calibration, budget: Budget) -> str:
    if budget.months:
        return budget.months[0]
    today = np.datetime64(calibration.today, "M") + np.timedelta64(1, "M")
    return str(today)


def make_plan(calibration: Calibration, budget: Budget, months: int) -> Plan:
    """Deterministic monthly drivers for an already scenario-applied budget."""
    a = calibration.assumptions
    labels = month_labels(_first_month(calibration, budget), months)
    brand = np.maximum(_extend(budget.monthly("brand"), months), 0.0)
    demand = np.maximum(_extend(budget.monthly("demand"), months), 0.0)
    scale = calibration.spend_scale
    brand_stock = geometric_adstock(brand, a["brand_half_life"], initial=calibration.spend_brand_ref)
    demand_stock = geometric_adstock(demand, a["demand_half_life"], initial=calibration.spend_demand_ref)
    awareness = hill(brand_stock / scale, a["brand_saturation"], a["brand_slope"])
    mql = calibration.mql_max * hill(demand_stock / scale, a["demand_saturation"], a["demand_slope"])
    season = np.array([calibration.seasonality[int(lb[5:7]) - 1] for lb in labels])

    names = tuple(s.name for s in calibration.streams)
    volume = np.zeros((len(names), months))
    win = np.zeros((len(names), months))
    price = np.zeros((len(names), months))
    dispersion = np.full(len(names), np.inf)
    lift_w, lift_p = a["brand_win_lift"], a["brand_price_lift"]
    gap = awareness - calibration.awareness_ref
    for i, s in enumerate(calibration.streams):
        weight = a["brand_existing_effect"] if s.name == "existing" else 1.0
        if s.name == "intent":
            volume[i] = calibration.intent_base * (1.0 + a["brand_volume_lift"] * awareness) * season
        elif s.name == "demand":
            volume[i] = (calibration.demand_base + a["mql_acceptance"] * mql) * season
            dispersion[i] = a["demand_dispersion"]
        else:
            volume[i] = s.volume
        p = min(max(s.win_rate, 1e-6), 1 - 1e-6)
        odds = p / (1 - p) * np.exp(weight * lift_w * gap)
        win[i] = odds / (1 + odds)
        price[i] = (1 + weight * lift_p * awareness) / (1 + weight * lift_p * calibration.awareness_ref)
    return Plan(labels, names, brand, demand, awareness, mql, volume, win, price, dispersion)


# ----------------------------------------------------------------------------- sampling


def draw_noise(seed: int, streams: int, months: int, paths: int) -> Noise:
    """All the randomness of one run, from one seeded generator (so a seed reproduces a run).

    Raw 32-bit integers are the cheapest thing numpy's generator makes; the
    count sampler reads a guide-table bucket from their top bits, and the
    normals come from them by Box-Muller (exact, and faster here than numpy's
    own normal sampler).
    """
    rng = np.random.default_rng(seed)
    n = months * paths
    n_bits = streams * n
    bits = rng.bit_generator.random_raw((n_bits + 1) // 2).view(np.uint32)[:n_bits]
    streak = rng.bit_generator.random_raw((n + 1) // 2).view(np.uint32)[:n]
    half = (n + 1) // 2
    pair = rng.bit_generator.random_raw(half).view(np.uint32)
    u = ((pair >> np.uint32(8)).astype(_F) + _F(0.5)) * _F(2.0**-24)  # in (0, 1)
    radius = np.sqrt(_F(-2.0) * np.log(u[:half]))
    angle = _F(2.0 * np.pi) * u[half:]
    normal = np.empty(2 * half, dtype=_F)
    np.multiply(radius, np.cos(angle), out=normal[:half])
    np.multiply(radius, np.sin(angle), out=normal[half:])
    return Noise(
        bits.reshape(streams, months, paths), normal[:n].reshape(months, paths), streak.reshape(months, paths)
    )


def _streaky(bits: np.ndarray, streak: np.ndarray, persistence: float) -> np.ndarray:
    """Random bits where each month repeats last month's with probability `persistence`.

    Every month's bits stay uniformly distributed (so counts keep their exact
    negative-binomial distribution), but good and bad campaign months come in
    streaks, as they do when a channel works for a while and then stops.
    """
    if persistence <= 0 or bits.shape[0] < 2:
        return bits
    out = bits.copy()
    threshold = np.uint32(min(int(persistence * 2.0**32), 2**32 - 1))
    keep = streak < threshold
    for t in range(1, bits.shape[0]):
        np.copyto(out[t], out[t - 1], where=keep[t])
    return out


def _count_cdf(mean: np.ndarray, shape: float) -> np.ndarray:
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


def sample_counts(bits: np.ndarray, cdf: np.ndarray) -> np.ndarray:
    """Exact inverse-CDF counts: for u uniform, the smallest k with cdf[t, k] > u.

    The top 11 bits of each random integer pick one of 2048 equal slices of
    [0, 1). For almost every slice the answer is the same anywhere in it, so a
    table lookup is the whole draw; only the few slices that straddle a CDF
    step (a few draws in a hundred) use the remaining 21 bits and a short
    search. Several times faster than numpy's Poisson/negative-binomial
    samplers, and monotone in the mean for a fixed draw, which keeps the
    optimiser's curves smooth.
    """
    months, paths = bits.shape
    size = 1 << _GUIDE_BITS
    # lo[t, j] = #{k: cdf <= j/size}, hi[t, j] = #{k: cdf < (j+1)/size}: a histogram of the CDF
    # values on the slice grid, cumulated (scaling by a power of two is exact)
    scaled = np.minimum(cdf * size, size + 1.0)
    offsets = (np.arange(months) * (size + 2))[:, None]
    n_bins = months * (size + 2)
    lo_hist = np.bincount((np.ceil(scaled).astype(np.intp) + offsets).ravel(), minlength=n_bins)
    hi_hist = np.bincount((np.floor(scaled).astype(np.intp) + offsets).ravel(), minlength=n_bins)
    lo = np.cumsum(lo_hist.reshape(months, size + 2), axis=1)[:, :size]
    hi = np.cumsum(hi_hist.reshape(months, size + 2), axis=1)[:, :size]
    table = np.where(lo == hi, lo, -1 - lo).astype(_F).ravel()
    shift = np.uint32(32 - _GUIDE_BITS)
    j = (bits >> shift).astype(np.intp)
    j += (np.arange(months, dtype=np.intp) * size)[:, None]
    k = table.take(j)
    flat_k = k.reshape(-1)
    amb = np.flatnonzero(flat_k < 0)
    if amb.size:
        kk = (-1 - flat_k[amb]).astype(np.intp)
        low_bits = (bits.reshape(-1)[amb] & np.uint32((1 << int(shift)) - 1)).astype(np.float64)
        row = amb // paths
        u = ((j.reshape(-1)[amb] - row * size) + (low_bits + 0.5) / float(1 << int(shift))) / size
        while True:
            step = cdf[row, kk] <= u
            if not step.any():
                break
            kk += step
        flat_k[amb] = kk
    return k


def _landing(pmf: np.ndarray, months: int) -> np.ndarray:
    """(T, T) matrix L[m, t] = P(an opportunity created in month t closes in month m)."""
    lag = np.arange(months)[:, None] - np.arange(months)[None, :]
    return np.where(lag >= 0, pmf[np.clip(lag, 0, pmf.size - 1)], 0.0)


def run_plan(calibration: Calibration, plan: Plan, noise: Noise, *, seed: int = 0) -> Result:
    """Simulate one plan with the given random numbers (see the module docstring)."""
    months = plan.months
    n_streams, _, paths = noise.counts.shape
    fits = calibration.streams
    counts = np.empty((n_streams, months, paths), dtype=_F)
    persistence = calibration.assumptions["demand_persistence"]
    for i in range(n_streams):
        bits = noise.counts[i]
        if np.isfinite(plan.dispersion[i]):
            bits = _streaky(bits, noise.streak, persistence)
        counts[i] = sample_counts(bits, _count_cdf(plan.volume[i], plan.dispersion[i]))

    # one matrix product gives expected revenue, its variance and expected wins for every path
    q_rows = np.zeros((3 * months, n_streams * months))
    value_exp = np.zeros(months)
    list_exp = np.zeros(months)
    existing_exp = np.zeros(months)
    existing_wins = np.zeros(months)
    opp_amount = np.array([f.opp_amount for f in fits])
    for i, f in enumerate(fits):
        land = _landing(f.lag_pmf, months)
        p, m = plan.win_rate[i], plan.price[i]
        cols = slice(i * months, (i + 1) * months)
        q_rows[:months, cols] = land * (p * m * f.size_mean)[None, :]
        q_rows[months : 2 * months, cols] = land * (p * m * m * f.size_m2)[None, :]
        q_rows[2 * months :, cols] = land * p[None, :]
        value_i = land @ (plan.volume[i] * p * m * f.size_mean) + calibration.open_mean[i, :months]
        value_exp += value_i
        list_exp += land @ (plan.volume[i] * p * f.size_mean) + calibration.open_mean[i, :months]
        if f.name == "existing":
            existing_exp = value_i
            existing_wins = land @ (plan.volume[i] * p) + calibration.open_wins[i, :months]
    out = _matmul_one_thread(q_rows.astype(_F), counts.reshape(n_streams * months, paths))
    open_mean = calibration.open_mean[:, :months].sum(axis=0).astype(_F)[:, None]
    open_var = calibration.open_var[:, :months].sum(axis=0).astype(_F)[:, None]
    open_wins = calibration.open_wins[:, :months].sum(axis=0).astype(_F)[:, None]
    mean = out[:months] + open_mean
    var = out[months : 2 * months] + open_var
    wins = out[2 * months :] + open_wins

    # revenue: lognormal with the compound mean and variance (Fenton-Wilkinson)
    s2 = np.log1p(var / np.maximum(mean * mean, _F(1e-30)))
    revenue = mean * np.exp(np.sqrt(s2) * noise.normal - _F(0.5) * s2)

    gm0 = calibration.assumptions["gross_margin"]
    gm_pct = np.where(value_exp > 0, 1.0 - (1.0 - gm0) * list_exp / np.where(value_exp > 0, value_exp, 1.0), gm0)

    mqls = np.zeros((months, paths), dtype=_F)
    if "demand" in plan.streams:
        d = plan.streams.index("demand")
        ratio = np.divide(plan.mql_rate, plan.volume[d], out=np.zeros(months), where=plan.volume[d] > 0)
        mqls = counts[d] * ratio.astype(_F)[:, None]

    total_spend = plan.spend_brand.sum() + plan.spend_demand.sum()
    return Result(
        months=months,
        paths=paths,
        seed=seed,
        labels=plan.labels,
        streams=plan.streams,
        brand_share=float(plan.spend_brand.sum() / total_spend) if total_spend > 0 else 0.0,
        spend_brand=plan.spend_brand,
        spend_demand=plan.spend_demand,
        awareness=plan.awareness,
        win_rates=plan.win_rate,
        price=plan.price,
        gross_margin_pct_monthly=gm_pct,
        revenue_existing_mean=existing_exp,
        wins_existing_mean=existing_wins,
        opp_amount=opp_amount,
        counts_tp=counts,
        revenue_tp=revenue,
        wins_tp=wins,
        mqls_tp=mqls,
    )


def simulate(
    calibration: Calibration,
    budget: Budget,
    scenario: Scenario,
    *,
    paths: int = 10_000,
    seed: int = 0,
    noise: Noise | None = None,
) -> Result:
    """Simulate the scenario applied to `budget` (the base budget), deterministic for a seed."""
    if paths < 1:
        raise ValueError("paths must be at least 1")
    plan = make_plan(calibration, apply_to_budget(budget, scenario), int(scenario.months))
    if noise is None:
        noise = draw_noise(seed, len(plan.streams), plan.months, paths)
    return run_plan(calibration, plan, noise, seed=seed)
