"""Plain NumPy re-implementations (oracles) of the numba kernels, for tiny networks."""

import numpy as np


def rate(current, gain, threshold, curvature):
    x = gain * current - threshold
    return x / (1.0 - np.exp(-curvature * x))


def rww_ei_euler(weights, delays, G, J, p, s_e0, s_i0, n_steps, dt, noise):
    """Deterministic-plus-given-noise Euler run of the rWW-EI network, one parameter set.

    weights (N, N) rows receive; delays (N, N) in steps; J (N,) FIC weights; noise
    (n_steps, 2, N). Returns S_E and r_E at the start of every step, shape (n_steps, N).
    """
    n = len(weights)
    history = [np.array(s_e0, dtype=float)]  # history[-1 - d] = S_E d steps ago
    s_e, s_i = np.array(s_e0, dtype=float), np.array(s_i0, dtype=float)
    out_s, out_r = [], []
    for t in range(n_steps):
        coupling = np.array([sum(weights[i, j] * history[max(0, len(history) - 1 - delays[i, j])][j]
                                 for j in range(n)) for i in range(n)])
        i_e = p["W_E"] * p["I_0"] + p["w_plus"] * p["J_NMDA"] * s_e + G * p["J_NMDA"] * coupling - J * s_i
        i_i = p["W_I"] * p["I_0"] + p["J_NMDA"] * s_e - s_i
        r_e = rate(i_e, p["a_E"], p["b_E"], p["d_E"])
        r_i = rate(i_i, p["a_I"], p["b_I"], p["d_I"])
        out_s.append(s_e)
        out_r.append(r_e)
        s_e = s_e + dt * (-s_e / p["tau_E"] + (1 - s_e) * p["gamma_E"] * r_e / 1000) + p["sigma"] * np.sqrt(dt) * noise[t, 0]
        s_i = s_i + dt * (-s_i / p["tau_I"] + p["gamma_I"] * r_i / 1000) + p["sigma"] * np.sqrt(dt) * noise[t, 1]
        s_e, s_i = np.clip(s_e, 0, 1), np.clip(s_i, 0, 1)
        history.append(s_e.copy())
    return np.array(out_s), np.array(out_r)


def balloon_windkessel_euler(drive, dt_s, kappa=0.64, gamma=0.32, tau=2.0, alpha=0.32, e0=0.4,
                             v0=4.0, te=0.04, r0=25.0, nu0=40.3, epsilon=1.0):
    """Scalar Euler integration of SPM12's haemodynamic model; BOLD (%) at every step."""
    s, f, v, q = 0.0, 1.0, 1.0, 1.0
    k1, k2, k3 = 4.3 * nu0 * e0 * te, epsilon * r0 * e0 * te, 1 - epsilon
    out = []
    for z in drive:
        ds = z - kappa * s - gamma * (f - 1)
        df = s
        dv = (f - v ** (1 / alpha)) / tau
        dq = (f * (1 - (1 - e0) ** (1 / f)) / e0 - v ** (1 / alpha) * q / v) / tau
        s, f, v, q = s + dt_s * ds, f + dt_s * df, v + dt_s * dv, q + dt_s * dq
        out.append(v0 * (k1 * (1 - q) + k2 * (1 - q / v) + k3 * (1 - v)))
    return np.array(out)


def hopf_reference(weights, delays, G, a, f, beta, x0, y0, n_steps, dt_ms, noise, scheme="euler"):
    """Delayed, diffusively coupled Stuart-Landau oscillators (time in s), Euler or Heun.

    Returns (x, y) at the start of every step, shape (n_steps, 2, N).
    """
    n = len(weights)
    dt = dt_ms * 1e-3
    xs, ys = [np.array(x0, float)], [np.array(y0, float)]
    strength = weights.sum(axis=1)
    omega = 2 * np.pi * f
    out = []

    def drift(x, y, cx, cy):
        radial = a - x**2 - y**2
        return (radial * x - omega * y + G * (cx - strength * x),
                radial * y + omega * x + G * (cy - strength * y))

    for t in range(n_steps):
        x, y = xs[-1], ys[-1]
        out.append(np.stack([x, y]))
        cx = np.array([sum(weights[i, j] * xs[max(0, len(xs) - 1 - delays[i, j])][j] for j in range(n)) for i in range(n)])
        cy = np.array([sum(weights[i, j] * ys[max(0, len(ys) - 1 - delays[i, j])][j] for j in range(n)) for i in range(n)])
        kick_x, kick_y = beta * np.sqrt(dt) * noise[t, 0], beta * np.sqrt(dt) * noise[t, 1]
        dx, dy = drift(x, y, cx, cy)
        new_x, new_y = x + dt * dx + kick_x, y + dt * dy + kick_y
        if scheme == "heun":
            dx2, dy2 = drift(new_x, new_y, cx, cy)
            new_x, new_y = x + dt * (dx + dx2) / 2 + kick_x, y + dt * (dy + dy2) / 2 + kick_y
        xs.append(new_x)
        ys.append(new_y)
    return np.array(out)


def jansen_rit_euler(weights, delays, p, n_steps, dt_ms, noise):
    """Euler-Maruyama run of linearly coupled Jansen-Rit columns; y1 - y2 at the start of each step."""
    n = len(weights)
    dt = dt_ms * 1e-3
    s = lambda v: 2 * p["e0"] / (1 + np.exp(p["r"] * (p["v0"] - v)))
    y = np.zeros((6, n))
    history = [y[1] - y[2]]
    out = []
    for t in range(n_steps):
        out.append(y[1] - y[2])
        net = np.array([sum(weights[i, j] * history[max(0, len(history) - 1 - delays[i, j])][j] for j in range(n))
                        for i in range(n)])
        a, b, c = p["a"], p["b"], p["C"]
        d = np.empty_like(y)
        d[0], d[1], d[2] = y[3], y[4], y[5]
        d[3] = p["A"] * a * s(y[1] - y[2]) - 2 * a * y[3] - a * a * y[0]
        d[4] = p["A"] * a * (p["p_mean"] + 0.8 * c * s(c * y[0]) + p["G"] * net) - 2 * a * y[4] - a * a * y[1]
        d[5] = p["B"] * b * 0.25 * c * s(0.25 * c * y[0]) - 2 * b * y[5] - b * b * y[2]
        y = y + dt * d
        y[4] += p["sigma"] * np.sqrt(dt) * noise[t, 0]
        history.append(y[1] - y[2])
    return np.array(out)
