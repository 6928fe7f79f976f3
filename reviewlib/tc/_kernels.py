"""Numba kernels for :mod:`reviewlib.tc.eliashberg` (private; temperatures and frequencies in K).

The linearised isotropic gap equation on the positive Matsubara frequencies
omega_n = pi T (2n+1), n = 0..N-1, with Delta even in omega, reads

    Z_n Delta_n = sum_m [lam(n-m) + lam(n+m+1) - 2 mu_c] Delta_m / (2m+1)
    (2n+1) Z_n = 2n+1 + lam(0) + 2 sum_{k=1..n} lam(k)        (exact, no cutoff)

with lam(k) = int 2 w a2F(w) / (w^2 + (2 pi T k)^2) dw. The lam(0) terms cancel between the
two sides and are removed from both. Multiplying by u_n = 1/(2n+1) gives the symmetric
generalised problem  K c = rho W c  with K_nm = u_n [lam(|n-m|)(1-delta_nm) + lam(n+m+1) - 2 mu_c] u_m
and W_n = D_n u_n^2, D_n = 2n+1 + 2 sum_{k=1..n} lam(k). Tc is the T where the largest rho is 1.

For large N (low T) the Matsubara indices are grouped into blocks whose size grows
geometrically (block size <= max(1, alpha m)); the gap is taken constant inside a block and the
problem is projected on that subspace (Galerkin / Rayleigh-Ritz). The projection is exact when
all blocks have size 1 and otherwise gives a lower bound on rho with an error second order in
the block size.
"""

from __future__ import annotations

import numpy as np
from numba import njit

TWO_PI = 2.0 * np.pi


@njit(cache=True, fastmath=True)
def lambda_vec(g, w2, nu, kmax):
    """lam(k) = sum_j g_j / (w2_j + (nu k)^2) for k = 0..kmax."""
    out = np.empty(kmax + 1)
    for k in range(kmax + 1):
        nk2 = (nu * k) * (nu * k)
        s = 0.0
        for j in range(g.size):
            s += g[j] / (w2[j] + nk2)
        out[k] = s
    return out


@njit(cache=True)
def block_index(n_freq, alpha):
    """Block label of each Matsubara index, the number of blocks and the first index of each
    block (``starts[nb] = n_freq``).
    """
    blk = np.empty(n_freq, dtype=np.int64)
    b = 0
    m = 0
    while m < n_freq:
        size = max(1, int(alpha * m))
        end = min(n_freq, m + size)
        for i in range(m, end):
            blk[i] = b
        b += 1
        m = end
    starts = np.empty(b + 1, dtype=np.int64)
    for m in range(n_freq - 1, -1, -1):
        starts[blk[m]] = m
    starts[b] = n_freq
    return blk, b, starts


@njit(cache=True)
def _tri_max(a, b, k):
    """Largest eigenvalue of the k x k symmetric tridiagonal matrix (diag a, off-diag b) by bisection."""
    lo = a[0] - abs(b[0]) if k > 1 else a[0]
    hi = a[0] + abs(b[0]) if k > 1 else a[0]
    for i in range(k):
        r = 0.0
        if i > 0:
            r += abs(b[i - 1])
        if i < k - 1:
            r += abs(b[i])
        lo = min(lo, a[i] - r)
        hi = max(hi, a[i] + r)
    scale = max(abs(lo), abs(hi), 1e-300)
    for _ in range(200):
        if hi - lo <= 1e-15 * scale:
            break
        x = 0.5 * (lo + hi)
        # Sturm count of eigenvalues > x
        cnt = 0
        d = a[0] - x
        if d > 0:
            cnt += 1
        for i in range(1, k):
            if d == 0.0:
                d = 1e-300
            d = a[i] - x - b[i - 1] * b[i - 1] / d
            if d > 0:
                cnt += 1
        if cnt >= 1:
            lo = x
        else:
            hi = x
    return 0.5 * (lo + hi)


@njit(cache=True, fastmath=True)
def lanczos_max(mat, v0, tol):
    """Largest eigenvalue of the symmetric matrix ``mat`` (Lanczos, full reorthogonalisation)."""
    n = mat.shape[0]
    if n == 1:
        return mat[0, 0]
    q = np.zeros((n + 1, n))
    a = np.zeros(n)
    b = np.zeros(n)
    nrm = np.sqrt(np.sum(v0 * v0))
    q[0] = v0 / nrm
    prev = np.inf
    theta = 0.0
    w = np.empty(n)
    for j in range(n):
        for i in range(n):
            s = 0.0
            for l in range(n):
                s += mat[i, l] * q[j, l]
            w[i] = s
        aj = 0.0
        for i in range(n):
            aj += w[i] * q[j, i]
        a[j] = aj
        for _ in range(2):  # full reorthogonalisation, twice
            for p in range(j + 1):
                c = 0.0
                for i in range(n):
                    c += w[i] * q[p, i]
                for i in range(n):
                    w[i] -= c * q[p, i]
        bj = np.sqrt(np.sum(w * w))
        b[j] = bj
        theta = _tri_max(a, b, j + 1)
        if (
            abs(theta - prev) <= tol * max(1.0, abs(theta))
            or bj <= 1e-13 * max(1.0, abs(theta))
            or j == n - 1
        ):
            return theta
        prev = theta
        for i in range(n):
            q[j + 1, i] = w[i] / bj
    return theta


@njit(cache=True, fastmath=True)
def _weighted_max_eigenvalue(bmat, wvec):
    """Largest eigenvalue of the generalised problem B c = rho W c (W = diag(wvec) > 0): scales
    ``bmat`` in place to W^(-1/2) B W^(-1/2) and runs :func:`lanczos_max` from a constant gap
    (BCS-like start, c = W^(1/2) * 1).
    """
    nb = wvec.size
    sq = np.empty(nb)
    for i in range(nb):
        sq[i] = np.sqrt(wvec[i])
    for i in range(nb):
        for j in range(nb):
            bmat[i, j] /= sq[i] * sq[j]
    return lanczos_max(bmat, sq.copy(), 1e-11)


@njit(cache=True, fastmath=True)
def rho_max(temp, g, w2, n_freq, alpha, mu_c):
    """Largest eigenvalue rho of the (block-projected) linearised gap kernel at temperature T."""
    nu = TWO_PI * temp
    lam = lambda_vec(g, w2, nu, 2 * n_freq)
    blk, nb, starts = block_index(n_freq, alpha)
    u = np.empty(n_freq)
    csu = np.zeros(n_freq + 1)
    for n in range(n_freq):
        u[n] = 1.0 / (2.0 * n + 1.0)
        csu[n + 1] = csu[n] + u[n]
    bmat = np.zeros((nb, nb))
    wvec = np.zeros(nb)
    two_mu = 2.0 * mu_c
    cum = 0.0
    for n in range(n_freq):
        if n > 0:
            cum += lam[n]
        d_n = 2.0 * n + 1.0 + 2.0 * cum
        bn = blk[n]
        un = u[n]
        wvec[bn] += d_n * un * un
        bmat[bn, bn] += (lam[2 * n + 1] - two_mu) * un * un
        for jb in range(bn, nb):
            lo = max(starts[jb], n + 1)
            hi = starts[jb + 1]
            if hi <= lo:
                continue
            acc = 0.0
            for m in range(lo, hi):
                acc += (lam[m - n] + lam[n + m + 1]) * u[m]
            v = un * (acc - two_mu * (csu[hi] - csu[lo]))
            if jb == bn:
                bmat[bn, bn] += 2.0 * v
            else:
                bmat[bn, jb] += v
    for i in range(nb):
        for j in range(i + 1, nb):
            bmat[j, i] = bmat[i, j]
    return _weighted_max_eigenvalue(bmat, wvec)


@njit(cache=True, fastmath=True)
def lambda_vec_fast(g, w2, nu, kmax):
    """lam(k) as :func:`lambda_vec`, with the moment expansion
    lam(nu) = sum_p (-1)^p M_p / nu^(2p+2), M_p = sum_j g_j w2_j^p, once nu^2 > 9 max(w2)
    (truncated at p = 11: relative error < 9^-12).
    """
    w2max = 0.0
    for j in range(w2.size):
        w2max = max(w2max, w2[j])
    npow = 12
    mom = np.zeros(npow)
    for j in range(g.size):
        x = g[j]
        for p in range(npow):
            mom[p] += x
            x *= w2[j]
    out = np.empty(kmax + 1)
    for k in range(kmax + 1):
        nk2 = (nu * k) * (nu * k)
        if nk2 > 9.0 * w2max:
            inv = 1.0 / nk2
            s = 0.0
            sign = 1.0
            f = inv
            for p in range(npow):
                s += sign * mom[p] * f
                f *= inv
                sign = -sign
            out[k] = s
        else:
            s = 0.0
            for j in range(g.size):
                s += g[j] / (w2[j] + nk2)
            out[k] = s
    return out


@njit(cache=True, fastmath=True)
def rho_max_fast(temp, g, w2, n_freq, alpha, mu_c):
    """Same as :func:`rho_max` (same block projection, exact sums) in O(N * blocks) operations.

    Uses u_n u_m = (u_n - u_m) / (2 (m - n)) (Toeplitz part) and
    u_n u_m = (u_n + u_m) / (2 (n + m + 1)) (Hankel part), u_n = 1/(2n+1), so that each block
    double sum becomes single sums over prefix sums of lam(k) / (2k).
    """
    nu = TWO_PI * temp
    lam = lambda_vec_fast(g, w2, nu, 2 * n_freq + 1)
    blk, nb, starts = block_index(n_freq, alpha)
    u = np.empty(n_freq)
    for n in range(n_freq):
        u[n] = 1.0 / (2.0 * n + 1.0)
    # Q[x] = sum_{d=1..x} lam(d)/(2d), x = 0..n_freq ; R[x] = sum_{s=1..x} lam(s)/(2s), x = 0..2 n_freq
    q = np.zeros(n_freq + 1)
    for d in range(1, n_freq + 1):
        q[d] = q[d - 1] + lam[d] / (2.0 * d)
    r = np.zeros(2 * n_freq + 1)
    for s in range(1, 2 * n_freq + 1):
        r[s] = r[s - 1] + lam[s] / (2.0 * s)
    su = np.zeros(nb)
    wvec = np.zeros(nb)
    cum = 0.0
    for n in range(n_freq):
        if n > 0:
            cum += lam[n]
        d_n = 2.0 * n + 1.0 + 2.0 * cum
        wvec[blk[n]] += d_n * u[n] * u[n]
        su[blk[n]] += u[n]
    bmat = np.zeros((nb, nb))
    for ib in range(nb):
        a1 = starts[ib]
        e1 = starts[ib + 1] - 1
        # diagonal block: Toeplitz over n != m (both orders) + Hankel over all pairs
        t = 0.0
        for n in range(a1, e1 + 1):
            t += u[n] * (q[e1 - n] - q[n - a1])
        h = 0.0
        for n in range(a1, e1 + 1):
            h += u[n] * (r[n + e1 + 1] - r[n + a1])
        bmat[ib, ib] = 2.0 * t + 2.0 * h - 2.0 * mu_c * su[ib] * su[ib]
        for jb in range(ib + 1, nb):
            a2 = starts[jb]
            e2 = starts[jb + 1] - 1
            t = 0.0
            h = 0.0
            for n in range(a1, e1 + 1):
                t += u[n] * (q[e2 - n] - q[a2 - n - 1])
                h += u[n] * (r[n + e2 + 1] - r[n + a2])
            for m in range(a2, e2 + 1):
                t -= u[m] * (q[m - a1] - q[m - e1 - 1])
                h += u[m] * (r[m + e1 + 1] - r[m + a1])
            v = t + h - 2.0 * mu_c * su[ib] * su[jb]
            bmat[ib, jb] = v
            bmat[jb, ib] = v
    return _weighted_max_eigenvalue(bmat, wvec)
