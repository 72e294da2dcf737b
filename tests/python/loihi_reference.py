"""Lava's bit-accurate LIF and Dense/DelayDense equations written out plainly in Python integers,
as the independent reference the Loihi emulator is checked against (no spikegraph code here).

Network description (plain dicts):
  populations: {name: dict(size, du, dv, vth, bias_mant[list], bias_exp[list])}
  sources:     {name: dict(size, spikes={step: [neurons]})}
  projections: [dict(pre, post, weights[post][pre] raw ints, delays[post][pre] (0..63) or None,
                     weight_exp, num_weight_bits, sign_mode)]
Returns spikes {name: [(step, neuron)]} and, per population, u and v after every step.
"""


def _trunc_shift(product, shift):
    """sign(p) * (|p| >> shift): truncation toward zero."""
    magnitude = abs(product) >> shift
    return -magnitude if product < 0 else magnitude


def _int32(x):
    return (x + 2 ** 31) % 2 ** 32 - 2 ** 31


def effective_weight(w, sign_mode, num_weight_bits):
    mixed = 1 if sign_mode == "mixed" else 0
    if sign_mode == "inhibitory":
        w = -w
    w = max(-256 * mixed, min(255, w))
    dropped = 8 - num_weight_bits + mixed
    w = (w >> dropped) << dropped
    return -w if sign_mode == "inhibitory" else w


def run(populations, sources, projections, steps, record_state=True):
    pending = {name: {} for name in populations}           # name -> {step: [a_in per neuron]}
    u = {name: [0] * p["size"] for name, p in populations.items()}
    v = {name: [0] * p["size"] for name, p in populations.items()}
    spikes = {name: [] for name in list(populations) + list(sources)}
    trace = {name: ([], []) for name in populations}
    weights = []
    for proj in projections:
        rows = [[effective_weight(w, proj["sign_mode"], proj.get("num_weight_bits", 8)) for w in row]
                for row in proj["weights"]]
        weights.append(rows)
    for t in range(steps):
        fired = {}
        for name, p in populations.items():
            a_in = pending[name].pop(t, None) or [0] * p["size"]
            out = []
            for k in range(p["size"]):
                shifted = _int32(a_in[k] << 6)  # Lava shifts and adds in int32
                ud = _int32(_trunc_shift(u[name][k] * (4096 - p["du"] - 1), 12) + shifted)
                if ud > 2 ** 23:
                    ud -= 2 ** 24
                elif ud <= -2 ** 23:
                    ud += 2 ** 24
                u[name][k] = ud
                exp = p["bias_exp"][k]
                bias = p["bias_mant"][k] << exp if exp >= 0 else p["bias_mant"][k] >> -exp
                vd = _trunc_shift(v[name][k] * (4096 - p["dv"]), 12) + ud + bias
                vd = max(-(2 ** 23 - 1), min(2 ** 23 - 1, vd))
                if vd > p["vth"] << 6:
                    out.append(k)
                    vd = 0
                v[name][k] = vd
            fired[name] = out
            if record_state:
                trace[name][0].append(list(u[name]))
                trace[name][1].append(list(v[name]))
        for name, s in sources.items():
            fired[name] = sorted(s["spikes"].get(t, []))
        for name, out in fired.items():
            spikes[name].extend((t, k) for k in out)
        for proj, rows in zip(projections, weights):
            out = fired[proj["pre"]]
            if not out:
                continue
            n_post = len(rows)
            groups = {}  # delay -> per-target sums of this step's spikes
            for j in range(n_post):
                for i in out:
                    w = rows[j][i]
                    if w == 0:
                        continue
                    d = proj["delays"][j][i] if proj.get("delays") is not None else 0
                    groups.setdefault(d, [0] * n_post)[j] += w
            e = proj["weight_exp"]
            for d, sums in groups.items():
                target = pending[proj["post"]].setdefault(t + 1 + d, [0] * n_post)
                for j in range(n_post):
                    target[j] += sums[j] << e if e >= 0 else sums[j] >> -e
    return spikes, trace
