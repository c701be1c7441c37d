#!/usr/bin/env python3
"""Independent reference values for tests/unit/test_stats.c.

Standard library only. Nothing here shares code or method with src/judge/stats.c:

- the Mann-Whitney U null distribution by brute-force enumeration of every
  arrangement of the two samples (small m, n), and by the exact integer
  recursion f(m, n, u) = f(m-1, n, u-n) + f(m, n-1, u) for large m, n
  (src/judge/stats.c counts partitions instead, in floating point);
- the Hodges-Lehmann ratio and its interval straight from the definition:
  every pairwise log difference, sorted, order statistics picked with the
  enumerated distribution;
- the median interval from binomial coefficients (math.comb);
- the Mann-Whitney p-value from midranks, with tie and continuity correction.

Run: python3 tests/unit/stats_reference.py. Paste its output into the tests.
"""

import itertools
import math
from fractions import Fraction
from functools import lru_cache


def u_counts_bruteforce(m, n):
    """counts[u] = number of arrangements with U = u (m x's among m+n places)."""
    counts = [0] * (m * n + 1)
    for xs in itertools.combinations(range(m + n), m):
        xset = set(xs)
        u = 0
        ys_before = 0
        for pos in range(m + n):
            if pos in xset:
                u += ys_before  # pairs (x, y) with y < x
            else:
                ys_before += 1
        counts[u] += 1
    return counts


@lru_cache(maxsize=None)
def u_count_rec(m, n, u):
    if u < 0:
        return 0
    if m == 0 or n == 0:
        return 1 if u == 0 else 0
    return u_count_rec(m - 1, n, u - n) + u_count_rec(m, n - 1, u)


def u_cdf_rec(m, n, k):
    total = math.comb(m + n, m)
    return Fraction(sum(u_count_rec(m, n, u) for u in range(k + 1)), total)


def u_cdf_list(m, n):
    counts = u_counts_bruteforce(m, n)
    total = sum(counts)
    assert total == math.comb(m + n, m)
    acc, out = 0, []
    for c in counts:
        acc += c
        out.append(Fraction(acc, total))
    return out


def median(xs):
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def exact_interval(s, cdf, conf):
    """The order-statistic interval [s_(k), s_(N+1-k)] of sorted values s, k the
    largest with cdf[k-1] <= alpha/2 (min..max when none), and the median."""
    N = len(s)
    alpha2 = Fraction(1 - Fraction(conf).limit_denominator(1000)) / 2
    k = 0
    for cand in range(1, (N + 1) // 2 + 1):
        if cdf[cand - 1] <= alpha2:
            k = cand
    if k == 0:
        lo, hi, achieved = s[0], s[-1], 1 - 2 * cdf[0]
    else:
        lo, hi, achieved = s[k - 1], s[N - k], 1 - 2 * cdf[k - 1]
    return k, lo, median(s), hi, max(0, float(achieved))


def hl_shift(base, head, conf, diff):
    """Hodges-Lehmann shift of head against base and its exact interval from
    the U distribution: order statistics of all pairwise diff(h, b)."""
    d = sorted(diff(h, b) for h in head for b in base)
    return exact_interval(d, u_cdf_list(len(base), len(head)), conf)


def hl_ratio(base, head, conf):
    """head/base on the log scale."""
    k, lo, est, hi, achieved = hl_shift(base, head, conf, lambda h, b: math.log(h) - math.log(b))
    return k, math.exp(lo), math.exp(est), math.exp(hi), achieved


def hl_diff(base, head, conf):
    """head - base on the raw scale."""
    return hl_shift(base, head, conf, lambda h, b: h - b)


def signrank_cdf_bruteforce(n, k):
    """P(T+ <= k): enumerate all 2^n sign patterns of ranks 1..n."""
    from itertools import product
    hits = sum(1 for signs in product((0, 1), repeat=n)
               if sum(r for r, s in zip(range(1, n + 1), signs) if s) <= k)
    return Fraction(hits, 2 ** n)


def paired_ci(d, conf):
    """Hodges-Lehmann of paired differences (median of Walsh averages) and the
    exact signed-rank interval [W_(k), W_(M+1-k)]."""
    n = len(d)
    walsh = sorted((d[i] + d[j]) / 2 for i in range(n) for j in range(i, n))
    cdf = [signrank_cdf_bruteforce(n, t) for t in range((len(walsh) + 1) // 2 + 1)]
    return exact_interval(walsh, cdf, conf)


def median_ci(xs, conf):
    s = sorted(xs)
    n = len(s)
    alpha2 = Fraction(1 - Fraction(conf).limit_denominator(1000)) / 2

    def cdf(t):
        return Fraction(sum(math.comb(n, i) for i in range(t + 1)), 2 ** n)

    k = 0
    for cand in range(1, (n + 1) // 2 + 1):
        if cdf(cand - 1) <= alpha2:
            k = cand
    if k == 0:
        return k, s[0], median(s), s[-1], max(0, float(1 - 2 * cdf(0)))
    return k, s[k - 1], median(s), s[n - k], float(1 - 2 * cdf(k - 1))


def main():
    print("# signed-rank cdf, brute force: n k P(T+<=k)")
    for n, k in [(5, 0), (6, 2), (8, 3), (10, 8), (12, 13), (15, 25)]:
        print(n, k, repr(float(signrank_cdf_bruteforce(n, k))))
    print("# paired HL: k lo est hi achieved")
    for d, conf in [([0.02, -0.01, 0.03, 0.05, 0.0, 0.01, 0.04, -0.02, 0.03, 0.02], 0.95),
                    ([0.1, 0.2, 0.15], 0.95)]:
        print(*[repr(x) for x in paired_ci(d, conf)])
    print("# HL diff: k lo est hi achieved")
    for b, h, conf in [([5.1, 4.9, 5.3, 5.0, 5.2, 4.8, 5.05], [5.2, 5.0, 4.95, 5.15, 5.4, 4.85], 0.95),
                       ([0.040, 0.038, 0.045, 0.041, 0.039], [0.043, 0.040, 0.090, 0.042, 0.041], 0.95)]:
        print(*[repr(x) for x in hl_diff(b, h, conf)])
    print("# U null cdf, brute force: m n k P(U<=k)")
    for m, n, k in [(1, 1, 0), (2, 3, 1), (3, 3, 2), (4, 4, 0), (4, 4, 3), (5, 5, 2),
                    (5, 5, 3), (4, 7, 5), (6, 6, 5), (8, 8, 13), (10, 10, 23), (10, 10, 50)]:
        print(f"{m} {n} {k} {float(u_cdf_list(m, n)[k]):.17g}")
    print("# U null cdf, exact integer recursion: m n k P(U<=k)")
    for m, n, k in [(20, 20, 127), (30, 25, 200), (60, 60, 1400), (60, 60, 1800), (60, 1, 0)]:
        print(f"{m} {n} {k} {float(u_cdf_rec(m, n, k)):.17g}")
    print("# two-sided 0.05 critical U (largest u with P(U<=u) <= 0.025)")
    for n in range(4, 11):
        cdf = u_cdf_list(n, n)
        crit = max([u for u in range(len(cdf)) if cdf[u] <= Fraction(1, 40)], default=None)
        print(f"{n} {n} {crit}")

    base = [1.02, 0.98, 1.05, 1.00, 0.97]
    head = [0.52, 0.49, 0.55, 0.50, 0.51]
    print("# HL ratio: k lo est hi achieved")
    print("halve 0.95", *(f"{x:.17g}" for x in hl_ratio(base, head, 0.95)))
    b2 = [5.1, 4.9, 5.3, 5.0, 5.2, 4.8, 5.05]
    h2 = [5.2, 5.0, 4.95, 5.15, 5.4, 4.85]
    print("aa 0.95", *(f"{x:.17g}" for x in hl_ratio(b2, h2, 0.95)))
    print("aa 0.80", *(f"{x:.17g}" for x in hl_ratio(b2, h2, 0.80)))
    print("tiny 0.95", *(f"{x:.17g}" for x in hl_ratio([2.0, 3.0], [4.0, 9.0], 0.95)))
    # P(U <= 1) = 2/20 = 0.1 = alpha/2 exactly: the boundary belongs to the interval.
    print("edge 0.80", *(f"{x:.17g}" for x in hl_ratio([1.0, 1.2, 1.5], [1.1, 1.6, 2.0], 0.80)))

    print("# median CI: k lo est hi achieved")
    xs = [3.1, 2.7, 3.3, 2.9, 3.6, 3.0, 2.8, 3.4, 3.2, 2.6]
    print("ten 0.95", *(f"{x:.17g}" for x in median_ci(xs, 0.95)))
    print("five 0.95", *(f"{x:.17g}" for x in median_ci(xs[:5], 0.95)))
    print("six 0.95", *(f"{x:.17g}" for x in median_ci(xs[:6], 0.95)))

    # The figures in tests/unit/test_judge.c's notes (cpu split as there,
    # cpu_util = cpu / (wall * 2 cores)).
    print("# judge fixtures: k lo est hi achieved")
    w5 = [5.00, 5.05, 4.98, 5.02, 4.97]
    w5b = [5.01, 4.99, 5.04, 4.96, 5.03]
    idle = [0.30, 0.31, 0.29, 0.30, 0.32]
    idle_b = [0.29, 0.30, 0.31, 0.28, 0.30]
    spin = [3.0, 3.1, 2.9, 3.05, 2.95]
    hot = [8.0, 8.2, 7.9, 8.1, 7.8]
    edge = [2.3, 2.7, 2.4, 2.6, 2.5]
    busy_h = [8.8, 8.9, 8.7, 8.85, 8.75]
    startup = [6.2, 6.3, 6.1, 6.25, 6.15]

    def util(cpu, wall):
        return [c / (w * 2) for c, w in zip(cpu, wall)]

    def show(name, v):
        print(name, *(f"{x:.3g}" for x in v))

    show("spin cpu ratio", hl_ratio(idle, spin, 0.95))
    show("spin head util", median_ci(util(spin, w5b), 0.95))
    show("fix cpu ratio", hl_ratio(hot, idle, 0.95))
    show("aa head util", median_ci(util(idle_b, w5b), 0.95))
    show("edge head util", median_ci(util(edge, w5b), 0.95))
    show("busy head util", median_ci(util(busy_h, w5), 0.95))
    show("startup head util", median_ci(util(startup, w5), 0.95))
    # head's noisy runs are base's x 1.1, in another order: round by round the
    # ratios are noisy too, as on a real machine
    noisy_b = [4.0, 5.0, 6.0, 4.5, 5.5]
    noisy_h = [5.5, 4.4, 6.05, 6.6, 4.95]
    show("noisy wall ratio", hl_ratio(noisy_b, noisy_h, 0.95))

    def paired_ratio(b, h, conf):
        k, lo, est, hi, ach = paired_ci([math.log(y) - math.log(x) for x, y in zip(b, h)], conf)
        return k, math.exp(lo), math.exp(est), math.exp(hi), ach

    print("# judge fixtures paired by round (the judge's choice when runs pair up)")
    show("paired spin cpu ratio", paired_ratio(idle, spin, 0.95))
    show("paired fix cpu ratio", paired_ratio(hot, idle, 0.95))
    show("paired noisy wall ratio", paired_ratio(noisy_b, noisy_h, 0.95))

if __name__ == "__main__":
    main()
