"""Python reference worker for bench/run.mjs: POT and scipy.

A persistent process: reads one JSON request per line on stdin, answers one JSON line on stdout.
Arrays arrive as paths to raw little-endian float64 files written by the Node side; loading
them is not timed, only the POT or scipy call is (time.perf_counter).

Requests:
  {"op": "versions"}
  {"op": "wasserstein_1d", "u": path, "v": path, "u_weights": path|null, "v_weights": path|null, "p": 1}
  {"op": "sliced", "x": path, "y": path, "dim": 3, "a": path|null, "b": path|null,
   "n_projections": 100, "p": 2, "seed": 0}
  {"op": "linear_sum_assignment", "cost": path, "rows": r, "cols": c, "maximize": false}
    (scipy.optimize.linear_sum_assignment; the value is the total cost of the assignment)
  {"op": "emd2", "a": path, "b": path, "cost": path, "rows": n, "cols": m, "num_iter_max": k}
    (ot.emd2 with log=True, which costs nothing extra; the value is the optimal cost and the reply
    adds "status": "optimal", or POT's warning such as numItermax reached)
Replies: {"seconds": s, "value": v}, {"versions": {...}} or {"error": message}.
"""

import json
import platform
import sys
import time
import traceback
import warnings

import numpy as np
import ot
import scipy
from scipy.optimize import linear_sum_assignment


def load(path, dim=None):
    if path is None:
        return None
    a = np.fromfile(path, dtype="<f8")
    return a if dim is None else a.reshape(-1, dim)


def handle(req):
    op = req["op"]
    if op == "versions":
        return {"versions": {"pot": ot.__version__, "scipy": scipy.__version__, "numpy": np.__version__,
                             "python": platform.python_version()}}
    if op == "wasserstein_1d":
        u, v = load(req["u"]), load(req["v"])
        uw, vw = load(req.get("u_weights")), load(req.get("v_weights"))
        p = req.get("p", 1)
        t0 = time.perf_counter()
        value = ot.wasserstein_1d(u, v, uw, vw, p=p)
        seconds = time.perf_counter() - t0
        return {"seconds": seconds, "value": float(value)}
    if op == "sliced":
        dim = req["dim"]
        x, y = load(req["x"], dim), load(req["y"], dim)
        a, b = load(req.get("a")), load(req.get("b"))
        t0 = time.perf_counter()
        value = ot.sliced_wasserstein_distance(x, y, a, b, n_projections=req["n_projections"],
                                               p=req.get("p", 2), seed=req.get("seed", 0))
        seconds = time.perf_counter() - t0
        return {"seconds": seconds, "value": float(value)}
    if op == "linear_sum_assignment":
        cost = load(req["cost"]).reshape(req["rows"], req["cols"])
        maximize = bool(req.get("maximize", False))
        t0 = time.perf_counter()
        rows, cols = linear_sum_assignment(cost, maximize=maximize)
        seconds = time.perf_counter() - t0
        return {"seconds": seconds, "value": float(cost[rows, cols].sum())}
    if op == "emd2":
        a, b = load(req["a"]), load(req["b"])
        cost = load(req["cost"]).reshape(req["rows"], req["cols"])
        num_iter_max = int(req["num_iter_max"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the status goes back in the reply instead
            t0 = time.perf_counter()
            value, log = ot.emd2(a, b, cost, numItermax=num_iter_max, log=True)
            seconds = time.perf_counter() - t0
        status = "optimal" if log["warning"] is None else str(log["warning"])
        return {"seconds": seconds, "value": float(value), "status": status}
    raise ValueError(f"unknown op {op!r}")


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            reply = handle(json.loads(line))
        except Exception as e:  # report, keep serving
            traceback.print_exc(file=sys.stderr)
            reply = {"error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
