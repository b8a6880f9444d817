"""Plain NumPy oracles of the Wilson-Cowan and FitzHugh-Nagumo kernels, for tiny networks.

Written from the equations (and neurolib 0.6.2's loops), not from the package's kernels.
``delays`` (N, N) are in steps, rows receive; ``noise`` (n_steps, 2, N) standard normal.
Each returns the two state variables at the start of every step, shape (n_steps, 2, N).
"""

import numpy as np


def _delayed(history, delays):
    """delayed[i, j] = coupling variable of j, delays[i, j] steps ago (initial value before t = 0)."""
    n = delays.shape[0]
    return np.array([[history[max(0, len(history) - 1 - delays[i, j])][j] for j in range(n)] for i in range(n)])


def wilson_cowan_euler(weights, delays, p, e0, i0, n_steps, dt, noise):
    sigmoid = lambda u, a, mu: 1 / (1 + np.exp(-a * (u - mu)))
    e, i = np.array(e0, float), np.array(i0, float)
    history = [e.copy()]
    out = []
    for t in range(n_steps):
        out.append(np.stack([e, i]))
        network = p["K_gl"] * (weights * _delayed(history, delays)).sum(axis=1)
        drive_e = p["c_excexc"] * e - p["c_inhexc"] * i + network + p["exc_ext"]
        drive_i = p["c_excinh"] * e - p["c_inhinh"] * i + p["inh_ext"]
        de = (-e + (1 - e) * sigmoid(drive_e, p["a_exc"], p["mu_exc"])) / p["tau_exc"]
        di = (-i + (1 - i) * sigmoid(drive_i, p["a_inh"], p["mu_inh"])) / p["tau_inh"]
        e = e + dt * de + p["sigma"] * np.sqrt(dt) * noise[t, 0]
        i = i + dt * di + p["sigma"] * np.sqrt(dt) * noise[t, 1]
        history.append(e.copy())
    return np.array(out)


def fitzhugh_nagumo_euler(weights, delays, p, x0, y0, n_steps, dt, noise, diffusive=True):
    x, y = np.array(x0, float), np.array(y0, float)
    history = [x.copy()]
    out = []
    for t in range(n_steps):
        out.append(np.stack([x, y]))
        delayed = _delayed(history, delays)
        if diffusive:
            network = p["K_gl"] * (weights * (delayed - x[:, None])).sum(axis=1)
        else:
            network = p["K_gl"] * (weights * delayed).sum(axis=1)
        dx = -p["alpha"] * x**3 + p["beta"] * x**2 + p["gamma"] * x - y + network + p["x_ext"]
        dy = (x - p["delta"] - p["epsilon"] * y) / p["tau"] + p["y_ext"]
        x = x + dt * dx + p["sigma"] * np.sqrt(dt) * noise[t, 0]
        y = y + dt * dy + p["sigma"] * np.sqrt(dt) * noise[t, 1]
        history.append(x.copy())
    return np.array(out)
