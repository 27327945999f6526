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

Today's open pipeline is added month by month from the calibration, lined up
by calendar month: what the CRM snapshot expects to close before the horizon
starts is dropped (history by then), and months it does not reach are zero.

Speed notes (issue #4: 10,000 x 36 with KPIs in well under 25 ms on two
cores, also when the other core is busy): the matrix product is done as
many small products over blocks of paths (`planner.model.gemm`), each too small for
the BLAS library to split over threads; expected wins and MQLs, which only
matter as means over paths, are computed from mean counts (they are linear in
the counts); everything per path is float32 and computed in place; and
freed memory is kept for the next run rather than faulted in again
(`_keep_freed_memory_for_reuse`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import numpy.typing as npt

from planner.io.types import Budget
from planner.model.calibration import Calibration
from planner.model.counts import count_cdf, sample_counts, streaky
from planner.model.gemm import small_gemms
from planner.model.open_pipeline import months_between, open_pipeline_window
from planner.model.recognition import Recognition, recognition_for
from planner.model.response import geometric_adstock, hill
from planner.scenario.document import Scenario, apply_to_budget, extend_months

_F = np.float32
F64 = npt.NDArray[np.float64]
F32 = npt.NDArray[np.float32]
U32 = npt.NDArray[np.uint32]
TRAILING_CENTRE_MONTHS = 5.5  # the trailing year's volumes sit this many months before the export's month


def _keep_freed_memory_for_reuse() -> None:
    """Allocate and free one 24 MB block, so glibc keeps freed memory for the next run.

    glibc returns freed blocks of more than 128 KB to the kernel at once, and
    the next run's fresh arrays then cost a page fault per 4 KB: at 10,000 x
    36 that was a quarter of the run time (3,850 faults, 7 ms of kernel time
    per run). Freeing one block this large moves glibc's dynamic mmap and trim
    thresholds up to 24 / 48 MB (documented in mallopt(3)), so memory is
    reused instead. Elsewhere this is a harmless allocation; np.empty touches
    no pages, so it costs neither time nor resident memory.
    """
    np.empty(24 << 20, dtype=np.uint8)


_keep_freed_memory_for_reuse()


@dataclass(frozen=True)
class Plan:
    """Everything about the future that does not depend on luck, month by month."""

    labels: tuple[str, ...]  # "YYYY-MM"
    streams: tuple[str, ...]
    spend_brand: F64  # (T,)
    spend_demand: F64  # (T,)
    awareness: F64  # (T,) saturated brand level in [0, 1)
    awareness_acting: F64  # (T,) the level acting on decisions made that month (lagged `brand_lag_months`)
    acceptance: F64  # (T,) share of MQLs sales accepts (brand's activation lift)
    mql_rate: F64  # (T,) expected MQLs
    volume: F64  # (S, T) expected opportunities created
    win_rate: F64  # (S, T) win rate of opportunities created that month
    price: F64  # (S, T) price realisation relative to today
    dispersion: F64  # (S,) gamma shape of the volume (inf = Poisson)
    # today's open pipeline lined up with these months (`open_pipeline_window`)
    open_wins: F64  # (S, T) expected wins
    open_mean: F64  # (S, T) expected revenue
    open_var: F64  # (S, T) its variance
    recognition: Recognition  # bookings -> recognised revenue (cohort kernel, installed base)
    size_factor: F64 | None = None  # (S, T) won deal size relative to today's (the stream's size growth)

    @property
    def months(self) -> int:
        return len(self.labels)


@dataclass(frozen=True)
class Noise:
    """The random numbers of one run; reused across brand shares for common random numbers."""

    counts: U32  # (S, T, P) uint32 random bits, one per opportunity count
    normal: F32  # (T, P) standard normals
    streak: U32  # (T, P) uint32 random bits: does a campaign streak continue this month?


@dataclass(frozen=True)
class Result:
    """Simulated months for every path. Public arrays are shaped (paths, months)."""

    months: int
    paths: int
    seed: int
    labels: tuple[str, ...]
    streams: tuple[str, ...]
    brand_share: float  # brand's share of spend over the horizon
    spend_brand: F64  # (months,)
    spend_demand: F64  # (months,)
    awareness: F64  # (months,)
    win_rates: F64  # (streams, months) expected win rate of each month's new opportunities
    price: F64  # (streams, months)
    gross_margin_pct_monthly: F64  # (months,) expected, after price realisation
    revenue_existing_mean: F64  # (months,) expected revenue from existing business
    wins_existing_mean: F64  # (months,) expected wins closing in existing business
    revenue_open_new_mean: F64  # (months,) expected new-business bookings from today's open pipeline
    bookings_mean: F64  # (months,) expected bookings (won amounts at close), all streams
    revenue_new_mean: F64  # (months,) expected revenue of contracts won in the horizon, first year
    revenue_recurring_mean: F64  # (months,) renewed contracts and today's installed base
    revenue_churned_mean: F64  # (months,) expected MRR lost at renewals that month
    arr_mean: F64  # (months,) 12 x recurring MRR at month end
    recognition: Recognition = field(repr=False)
    assumptions: dict[str, float] = field(repr=False)
    bookings_tp: F32 = field(repr=False)  # (months, paths) won amounts at close
    opp_amount: F64 = field(repr=False)  # (streams,) average opportunity amount
    counts_tp: F32 = field(repr=False)  # (streams, months, paths) opportunities created
    revenue_tp: F32 = field(repr=False)  # (months, paths)
    win_landing: F64 = field(repr=False)  # (months, streams * months) expected wins per opportunity
    open_wins: F64 = field(repr=False)  # (months,) expected wins from today's open pipeline
    mqls_per_opp: F64 = field(repr=False)  # (months,) MQLs behind one demand opportunity
    # (months, paths) gross margin share per path when paths carry different parameters (`uncertain.py`)
    gross_margin_pct_tp: F32 | None = field(default=None, repr=False)

    # --- per-path arrays only some views need, computed on first use ----------------------
    @cached_property
    def counts_mean(self) -> F64:
        """(streams, months) mean opportunities created across paths.

        Summed in float32: the counts are whole numbers, so partial sums are
        exact up to 2**24 and the pairwise sum is fast.
        """
        total: F32 = self.counts_tp.sum(axis=2, dtype=_F)
        return total.astype(np.float64) / max(self.paths, 1)

    @property
    def opportunities_by_stream(self) -> F64:
        """(streams,) mean opportunities created over the horizon, per stream."""
        per_stream: F64 = self.counts_mean.sum(axis=1)
        return per_stream

    @cached_property
    def wins_by_stream(self) -> F64:
        """(streams,) mean wins closing within the horizon from opportunities created in it, per stream.

        Today's open pipeline is not included (see `open_wins`): those deals
        were paid for by earlier spend. A few hundred multiply-adds on the mean counts.
        """
        n = len(self.streams)
        blocks = self.win_landing.reshape(self.months, n, self.months)
        wins: F64 = np.einsum("msu,su->s", blocks, self.counts_mean)
        return wins

    @cached_property
    def wins_tp(self) -> F32:
        """(months, paths) expected wins closing, given each path's opportunities."""
        flat = self.counts_tp.reshape(-1, self.paths)
        return small_gemms(self.win_landing.astype(_F), flat) + self.open_wins.astype(_F)[:, None]

    @property
    def wins_mean(self) -> F64:
        """(months,) expected wins closing: linear in the counts, so mean counts are enough."""
        return self.win_landing @ self.counts_mean.reshape(-1) + self.open_wins

    @cached_property
    def mqls_tp(self) -> F32:
        """(months, paths) MQLs: demand opportunities are the MQLs sales accepted, plus a baseline."""
        if "demand" not in self.streams:
            return np.zeros((self.months, self.paths), dtype=_F)
        demand: F32 = self.counts_tp[self.streams.index("demand")]
        return demand * self.mqls_per_opp.astype(_F)[:, None]

    @property
    def mqls_mean(self) -> F64:
        """(months,) expected MQLs across paths."""
        if "demand" not in self.streams:
            return np.zeros(self.months)
        demand: F64 = self.counts_mean[self.streams.index("demand")]
        return demand * self.mqls_per_opp

    # --- (paths, months) views -------------------------------------------------------------
    @property
    def revenue(self) -> F32:
        return self.revenue_tp.T

    @property
    def wins(self) -> F32:
        return self.wins_tp.T

    @property
    def mqls(self) -> F32:
        return self.mqls_tp.T

    def opportunities(self, stream: str) -> F32:
        """Opportunities created per (path, month) in one stream (zeros if the stream is absent)."""
        if stream not in self.streams:
            return np.zeros((self.paths, self.months), dtype=_F)
        counts: F32 = self.counts_tp[self.streams.index(stream)]
        return counts.T

    def _pipeline_tp(self, stream: str) -> F32:
        if stream not in self.streams:
            return np.zeros((self.months, self.paths), dtype=_F)
        i = self.streams.index(stream)
        counts: F32 = self.counts_tp[i]
        value: F32 = (self.opp_amount[i] * self.price[i]).astype(_F)
        return counts * value[:, None]

    @cached_property
    def pipeline_intent(self) -> F32:
        return self._pipeline_tp("intent").T

    @cached_property
    def pipeline_demand(self) -> F32:
        return self._pipeline_tp("demand").T

    @cached_property
    def pipeline_existing(self) -> F32:
        return self._pipeline_tp("existing").T

    @cached_property
    def qualified_pipeline(self) -> F32:
        """Pipeline weighted by each opportunity's win rate: what sales can expect to close."""
        weights = (self.opp_amount[:, None] * self.price * self.win_rates).astype(_F)
        qualified: F32 = np.einsum("stp,st->tp", self.counts_tp, weights)
        return qualified.T

    @cached_property
    def gross_margin(self) -> F32:
        if self.gross_margin_pct_tp is not None:
            return (self.revenue_tp * self.gross_margin_pct_tp).T
        return (self.revenue_tp * self.gross_margin_pct_monthly.astype(_F)[:, None]).T

    @property
    def spend(self) -> F64:
        return self.spend_brand + self.spend_demand


# ----------------------------------------------------------------------------- planning


def month_labels(first: str, months: int) -> tuple[str, ...]:
    year, month = int(first[:4]), int(first[5:7])
    out = []
    for i in range(months):
        y, m = divmod(month - 1 + i, 12)
        out.append(f"{year + y:04d}-{m + 1:02d}")
    return tuple(out)


def _first_month(calibration: Calibration, budget: Budget) -> str:
    if budget.months:
        return budget.months[0]
    today = np.datetime64(calibration.today, "M") + np.timedelta64(1, "M")
    return str(today)


def make_plan(calibration: Calibration, budget: Budget, months: int, *, summaries: bool = True) -> Plan:
    """Deterministic monthly drivers for an already scenario-applied budget.

    `summaries=False` leaves out the revenue kernel's summary figures (GRR, the
    lifetime profile), which a parameter group's run does not read.
    """
    a = calibration.assumptions
    labels, brand, awareness, acting = _brand_path(calibration, budget, months)
    demand = np.maximum(extend_months(budget.monthly("demand"), months), 0.0)
    scale = calibration.spend_scale
    demand_stock = geometric_adstock(demand, a["demand_half_life"], initial=calibration.spend_demand_ref)
    mql = calibration.mql_max * hill(demand_stock / scale, a["demand_saturation"], a["demand_slope"])
    acceptance = shifted_rate(a["mql_acceptance"], a["brand_activation_lift"] * (acting - calibration.awareness_ref))
    recurring = calibration.recurring_share > 0
    season = np.array([calibration.seasonality[int(lb[5:7]) - 1] for lb in labels])

    names = tuple(s.name for s in calibration.streams)
    volume = np.zeros((len(names), months))
    win = np.zeros((len(names), months))
    price = np.zeros((len(names), months))
    dispersion = np.full(len(names), np.inf)
    lift_w, lift_p = a["brand_win_lift"], a["brand_price_lift"]
    gap = acting - calibration.awareness_ref
    for i, s in enumerate(calibration.streams):
        weight = a["brand_existing_effect"] if s.name == "existing" else 1.0
        if s.name == "intent":
            volume[i] = calibration.intent_base * (1.0 + a["brand_volume_lift"] * acting) * season
        elif s.name == "demand":
            volume[i] = (calibration.demand_base + acceptance * mql) * season
            dispersion[i] = a["demand_dispersion"]
        elif not recurring:
            volume[i] = s.volume  # existing business as its own stream (project sales: no renewal model)
        p = min(max(s.win_rate, 1e-6), 1 - 1e-6)
        odds = p / (1 - p) * np.exp(weight * lift_w * gap)
        win[i] = odds / (1 + odds)
        price[i] = (1 + weight * lift_p * acting) / (1 + weight * lift_p * calibration.awareness_ref)
    offset = months_between(calibration.today, labels[0])
    # growth (`trend.py`): the calibrated volumes and sizes are the trailing year's, centred ~5.5 months
    # before the export's month; each plan month is that many months further along the stream's trend
    ahead = offset + np.arange(months) + TRAILING_CENTRE_MONTHS
    size_factor = np.ones((len(names), months))
    for i, s in enumerate(calibration.streams):
        volume[i] *= np.exp(s.volume_growth * ahead)
        size_factor[i] = np.exp(s.size_growth * ahead)
    open_wins, open_mean, open_var = (
        open_pipeline_window(arr, offset, months)
        for arr in (calibration.open_wins, calibration.open_mean, calibration.open_var)
    )
    if recurring and "existing" in names:  # renewals in flight are in the installed base's renewals
        for arr in (open_wins, open_mean, open_var):
            arr[names.index("existing")] = 0.0
    return Plan(
        labels, names, brand, demand, awareness, acting, acceptance, mql, volume, win, price, dispersion,
        open_wins, open_mean, open_var, recognition_for(calibration, labels[0], months, acting, summaries=summaries),
        size_factor,
    )


def _brand_path(calibration: Calibration, budget: Budget, months: int) -> tuple[tuple[str, ...], F64, F64, F64]:
    """Month labels, brand spend, brand awareness and the awareness acting on decisions (lagged)."""
    a = calibration.assumptions
    labels = month_labels(_first_month(calibration, budget), months)
    brand = np.maximum(extend_months(budget.monthly("brand"), months), 0.0)
    brand_stock = geometric_adstock(brand, a["brand_half_life"], initial=calibration.spend_brand_ref)
    awareness = hill(brand_stock / calibration.spend_scale, a["brand_saturation"], a["brand_slope"])
    acting = lagged(awareness, int(round(a["brand_lag_months"])), calibration.awareness_ref)
    return labels, brand, awareness, acting


def plan_recognition(calibration: Calibration, budget: Budget, months: int) -> Recognition:
    """The revenue kernel and installed base of `make_plan(...).recognition`, summaries included,
    without the rest of the plan (a run with parameter groups needs only this from the point calibration)."""
    labels, _brand, _awareness, acting = _brand_path(calibration, budget, months)
    return recognition_for(calibration, labels[0], months, acting)


def _size_factor(plan: Plan, stream: int) -> F64:
    return np.ones(plan.months) if plan.size_factor is None else plan.size_factor[stream]


def lagged(series: F64, lag: int, before: float) -> F64:
    """series[t - lag], with `before` for the months before the horizon (today's steady state)."""
    if lag <= 0:
        return series
    return np.concatenate([np.full(min(lag, series.size), before), series[: max(series.size - lag, 0)]])


def shifted_rate(rate: float, log_odds: F64) -> F64:
    """A probability moved by a log-odds shift (equal to `rate` where the shift is 0)."""
    p = min(max(float(rate), 1e-9), 1 - 1e-9)
    odds = p / (1 - p) * np.exp(log_odds)
    return odds / (1 + odds)


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
    # u = (top 24 bits + 1/2) / 2**24 in (0, 1), in place in one float32 buffer (exact: < 2**24)
    u = np.empty(2 * half, dtype=_F)
    np.right_shift(pair, np.uint32(8), out=u, casting="unsafe")
    u += _F(0.5)
    u *= _F(2.0**-24)
    radius, angle = u[:half], u[half:]
    np.log(radius, out=radius)
    radius *= _F(-2.0)
    np.sqrt(radius, out=radius)
    angle *= _F(2.0 * np.pi)
    normal = np.empty(2 * half, dtype=_F)
    np.cos(angle, out=normal[:half])
    np.sin(angle, out=normal[half:])
    normal[:half] *= radius
    normal[half:] *= radius
    return Noise(
        bits.reshape(streams, months, paths), normal[:n].reshape(months, paths), streak.reshape(months, paths)
    )


def _landing(pmf: F64, months: int) -> F64:
    """(T, T) matrix L[m, t] = P(an opportunity created in month t closes in month m)."""
    lag = np.arange(months)[:, None] - np.arange(months)[None, :]
    return np.where(lag >= 0, pmf[np.clip(lag, 0, pmf.size - 1)], 0.0)


def _sample_all_counts(calibration: Calibration, plan: Plan, noise: Noise) -> F32:
    """(S, T, P) float32 opportunities created, each stream from its own random bits."""
    n_streams, months, paths = noise.counts.shape
    counts = np.empty((n_streams, months, paths), dtype=_F)
    persistence = calibration.assumptions["demand_persistence"]
    for i in range(n_streams):
        if not np.any(plan.volume[i] > 0):
            counts[i] = 0.0  # e.g. existing business when renewals come from the installed base
            continue
        bits = noise.counts[i]
        if np.isfinite(plan.dispersion[i]):
            bits = streaky(bits, noise.streak, persistence)
        sample_counts(bits, count_cdf(plan.volume[i], plan.dispersion[i]), out=counts[i])
    return counts


@dataclass(frozen=True)
class _Landing:
    """Deterministic weights turning opportunities created into what closes when."""

    moments: F32  # (2T, S*T) revenue mean rows, then revenue variance rows, per opportunity
    wins: F64  # (T, S*T) expected wins per opportunity
    value_exp: F64  # (T,) expected revenue, all streams, with the open pipeline
    list_exp: F64  # (T,) the same at today's prices
    existing_exp: F64  # (T,) expected existing-business revenue
    existing_wins: F64  # (T,) expected existing-business wins


def _landing_weights(calibration: Calibration, plan: Plan) -> _Landing:
    """Per-opportunity landing weights of every cohort and stream, and the expected monthly figures."""
    months, fits = plan.months, calibration.streams
    n_streams = len(fits)
    moments = np.zeros((2 * months, n_streams * months))
    wins = np.zeros((months, n_streams * months))
    value_exp = np.zeros(months)
    list_exp = np.zeros(months)
    existing_exp = np.zeros(months)
    existing_wins = np.zeros(months)
    for i, f in enumerate(fits):
        land = _landing(f.lag_pmf, months)
        p, m = plan.win_rate[i], plan.price[i]
        g = _size_factor(plan, i)
        cols = slice(i * months, (i + 1) * months)
        moments[:months, cols] = land * (p * m * g * f.size_mean)[None, :]
        moments[months:, cols] = land * (p * m * m * g * g * f.size_m2)[None, :]
        wins[:, cols] = land * p[None, :]
        value_i = land @ (plan.volume[i] * p * m * g * f.size_mean) + plan.open_mean[i]
        value_exp += value_i
        list_exp += land @ (plan.volume[i] * p * g * f.size_mean) + plan.open_mean[i]
        if f.name == "existing":
            existing_exp = value_i
            existing_wins = land @ (plan.volume[i] * p) + plan.open_wins[i]
    return _Landing(moments.astype(_F), wins, value_exp, list_exp, existing_exp, existing_wins)


def _lognormal_revenue(mean: F32, var: F32, normal: F32) -> F32:
    """Revenue with the given mean and variance per (month, path), lognormal (Fenton-Wilkinson).

    s2 = log(1 + V / M^2); revenue = M * exp(sqrt(s2) z - s2 / 2). Computed
    in place (overwrites `var`): at 10,000 x 36 each temporary costs about as
    much as the arithmetic.
    """
    s2 = np.multiply(mean, mean)
    np.maximum(s2, _F(1e-30), out=s2)
    np.divide(var, s2, out=s2)
    np.log1p(s2, out=s2)
    log_rev = np.sqrt(s2, out=var)
    log_rev *= normal
    s2 *= _F(-0.5)
    log_rev += s2
    np.exp(log_rev, out=log_rev)
    log_rev *= mean
    return log_rev


def run_plan(calibration: Calibration, plan: Plan, noise: Noise, *, seed: int = 0) -> Result:
    """Simulate one plan with the given random numbers (see the module docstring)."""
    months = plan.months
    n_streams, _, paths = noise.counts.shape
    counts = _sample_all_counts(calibration, plan, noise)
    landing = _landing_weights(calibration, plan)

    # one product gives every path's expected revenue and its variance; then add the open pipeline
    moments = small_gemms(landing.moments, counts.reshape(n_streams * months, paths))
    mean, var = moments[:months], moments[months:]
    mean += plan.open_mean.sum(axis=0).astype(_F)[:, None]
    var += plan.open_var.sum(axis=0).astype(_F)[:, None]
    bookings = _lognormal_revenue(mean, var, noise.normal)
    rec = plan.recognition
    if rec.recurring:  # recognised revenue: one small product with the cohort kernel, plus the installed base
        revenue = small_gemms(rec.matrix, bookings)
        revenue += rec.base.astype(_F)[:, None]
    else:
        revenue = bookings

    gm0 = calibration.assumptions["gross_margin"]
    value_exp, list_exp = rec.apply(landing.value_exp), rec.apply(landing.list_exp)
    gm_pct = np.where(value_exp > 0, 1.0 - (1.0 - gm0) * list_exp / np.where(value_exp > 0, value_exp, 1.0), gm0)

    mqls_per_opp = np.zeros(months)
    if "demand" in plan.streams:
        volume = plan.volume[plan.streams.index("demand")]
        np.divide(plan.mql_rate, volume, out=mqls_per_opp, where=volume > 0)

    new_mean = rec.first @ landing.value_exp
    recurring_mean = rec.renewed @ landing.value_exp + rec.base
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
        revenue_existing_mean=rec.base if rec.recurring else landing.existing_exp,
        wins_existing_mean=landing.existing_wins,
        revenue_open_new_mean=sum(
            (plan.open_mean[i] for i, name in enumerate(plan.streams) if name != "existing"), np.zeros(months)
        ),
        bookings_mean=landing.value_exp,
        revenue_new_mean=new_mean,
        revenue_recurring_mean=recurring_mean,
        revenue_churned_mean=rec.churned @ landing.value_exp + rec.base_churned,
        arr_mean=12.0 * (new_mean + recurring_mean),
        recognition=rec,
        assumptions=calibration.assumptions,
        bookings_tp=bookings,
        opp_amount=np.array([f.opp_amount for f in calibration.streams]),
        counts_tp=counts,
        revenue_tp=revenue,
        win_landing=landing.wins,
        open_wins=plan.open_wins.sum(axis=0),
        mqls_per_opp=mqls_per_opp,
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


def expected_bookings(calibration: Calibration, plan: Plan) -> tuple[F64, F64]:
    """(T,) expected bookings of the plan at realised prices and at today's prices (open pipeline included).

    Deterministic and cheap (one matrix-vector product per stream): what the
    return-on-spend figures compare between plans.
    """
    value = plan.open_mean.sum(axis=0).copy()
    at_list = value.copy()
    for i, f in enumerate(calibration.streams):
        land = _landing(f.lag_pmf, plan.months)
        base = plan.volume[i] * plan.win_rate[i] * _size_factor(plan, i) * f.size_mean
        value += land @ (base * plan.price[i])
        at_list += land @ base
    return value, at_list
