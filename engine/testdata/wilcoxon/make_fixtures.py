#!/usr/bin/env python3
"""Write wilcoxon.json: paired samples and the p-value scipy.stats.wilcoxon(x, y) gives them with
its defaults. Run with Debian's python3-scipy (1.10):

    /usr/bin/python3 engine/testdata/wilcoxon/make_fixtures.py > engine/testdata/wilcoxon/wilcoxon.json

A case whose differences are all zero gets "p": null (scipy raises ValueError there).
"""
import json
import random
import warnings

import numpy as np
import scipy
from scipy import stats

warnings.simplefilter("ignore")
rng = random.Random(20261129)
cases = []


def add(name, x, y):
    try:
        p = float(stats.wilcoxon(x, y).pvalue)
    except ValueError:
        p = None
    cases.append({"name": name, "x": [float(v) for v in x], "y": [float(v) for v in y], "p": p})


# Continuous values, no ties: exact for n <= 50, normal approximation above.
for n in [1, 2, 3, 5, 8, 10, 13, 20, 25, 37, 50, 51, 60, 80]:
    x = [rng.random() for _ in range(n)]
    y = [v + rng.gauss(0.05, 0.2) for v in x]
    add(f"continuous n={n}", x, y)

# Accuracy-like values on a grid: ties among |differences| (exact with ties for n <= 50).
for n in [6, 10, 20, 50, 51]:
    x = [round(rng.choice([0.8, 0.85, 0.9, 0.95]), 2) for _ in range(n)]
    y = [round(v - rng.choice([0.05, 0.1, -0.05, 0.15, 0.1]), 2) for v in x]
    add(f"grid ties n={n}", x, y)

# Zero differences: normal approximation with the zeros dropped.
for n in [5, 12, 20, 50, 51]:
    x = [rng.choice([0.6, 0.7, 0.8]) for _ in range(n)]
    y = [v if rng.random() < 0.3 else v + rng.choice([-0.1, 0.1, 0.2, -0.2, 0.05]) for v in x]
    add(f"zeros n={n}", x, y)

# Sweep-like: chance-corrected scores of two conditions over 20 seeds.
for k in range(6):
    x = [rng.betavariate(6, 3) for _ in range(20)]
    y = [min(1.0, max(-1.0, v + rng.gauss(0.02 * k, 0.05))) for v in x]
    add(f"sweep-like {k}", x, y)

# One side always better; the rank sum at the centre; all differences zero; a single zero.
add("all better n=20", [0.1 * i for i in range(20)], [0.1 * i - 0.01 * (i + 1) for i in range(20)])
add("centre n=4", [1, 2, 3, 4], [0, 4, 0, 7])
add("all zero n=20", [0.5] * 20, [0.5] * 20)
add("one zero n=1", [0.3], [0.3])
add("one nonzero among zeros", [0.3, 0.5, 0.7], [0.3, 0.5, 0.6])

print(json.dumps({"scipy": scipy.__version__, "numpy": np.__version__, "cases": cases}, indent=1))
