"""Python reference worker for bench/run.mjs: POT and scipy.

A persistent process: reads one JSON request per line on stdin, answers one JSON line on stdout.
Arrays arrive as paths to raw little-endian float64 files written by the Node side (float32 where
a request says "dtype": "float32"); loading them is not timed, only the POT or scipy call is
(time.perf_counter).

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
  {"op": "sinkhorn_log", "cost": path, "rows": n, "cols": m, "a": path|null, "b": path|null,
   "reg": 0.01, "num_iter_max": 100, "stop_thr": 0, "dtype": "float32"|"float64"}
    (ot.sinkhorn(a, b, M, reg, method="sinkhorn_log", numItermax, stopThr, log=True) on arrays of
    that dtype, null weights being uniform; the value is the transport cost <P, M> of the returned
    plan, summed in float64 outside the timing. With stopThr = 0 POT runs all numItermax
    iterations: it checks its error every 10th iteration and stops only when err < stopThr, which
    a norm never is. The reply adds "iterations" (POT's log["niter"] + 1), "error_checks" (how
    many of those error passes it made) and "dtype" (of the returned plan).)
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


def load(path, dim=None, dtype="float64"):
    if path is None:
        return None
    a = np.fromfile(path, dtype={"float64": "<f8", "float32": "<f4"}[dtype])
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
    if op == "sinkhorn_log":
        dtype = req.get("dtype", "float64")
        rows, cols = req["rows"], req["cols"]
        cost = load(req["cost"], dtype=dtype).reshape(rows, cols)
        a, b = load(req.get("a"), dtype=dtype), load(req.get("b"), dtype=dtype)
        a = np.full(rows, 1 / rows, dtype=dtype) if a is None else a
        b = np.full(cols, 1 / cols, dtype=dtype) if b is None else b
        num_iter_max = int(req["num_iter_max"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Sinkhorn did not converge": expected with stopThr = 0
            t0 = time.perf_counter()
            plan, log = ot.sinkhorn(a, b, cost, req["reg"], method="sinkhorn_log", numItermax=num_iter_max,
                                    stopThr=req.get("stop_thr", 0), log=True)
            seconds = time.perf_counter() - t0
        value = float(np.sum(plan * cost, dtype=np.float64))
        return {"seconds": seconds, "value": value, "iterations": int(log["niter"]) + 1,
                "error_checks": len(log["err"]), "dtype": str(plan.dtype)}
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
