"""BPTT gradients against PyTorch autograd on the same network, data and weights, in double.
The reference is written from snnTorch's documented equations (delayed reset computed from the
previous membrane, detached unless asked otherwise), and, where snnTorch is installed, snnTorch's
own Leaky neuron as well. Skipped only where torch is absent."""
import math

import numpy as np
import pytest

from spikegraph import training as sgt

torch = pytest.importorskip("torch")


class Spike(torch.autograd.Function):
    """Θ(x) forward, a surrogate derivative backward."""

    @staticmethod
    def forward(ctx, x, kind, slope):
        ctx.save_for_backward(x)
        ctx.kind, ctx.slope = kind, slope
        return (x >= 0).to(x.dtype)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        a = ctx.slope
        if ctx.kind == "atan":
            g = (a / 2) / (1 + (math.pi / 2 * a * x) ** 2)
        elif ctx.kind == "fast_sigmoid":
            g = 1 / (1 + a * x.abs()) ** 2
        elif ctx.kind == "sigmoid":
            s = torch.sigmoid(a * x)
            g = a * s * (1 - s)
        else:
            g = a * torch.clamp(1 - a * x.abs(), min=0)
        return grad * g, None, None


def reference_loss(layers, params, x, y, steps, loss, on_rate=1.0, off_rate=0.0):
    """The network of `layers` (spikegraph layer dicts) in torch, snnTorch's conventions."""
    weights = [{k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in p.items()} for p in params]
    xt = torch.tensor(x, dtype=torch.float64)
    batch = xt.shape[0]
    state = [{"mem": torch.zeros(batch, l["size"], dtype=torch.float64),
              "syn": torch.zeros(batch, l["size"], dtype=torch.float64),
              "spk": torch.zeros(batch, l["size"], dtype=torch.float64)} for l in layers]
    outputs = []
    for t in range(steps):
        inp = xt if xt.dim() == 2 else xt[:, t]
        for layer, w, s in zip(layers, weights, state):
            current = inp @ w["w"].T + (w["b"] if "b" in w else 0)
            if layer["recurrent"]:
                current = current + s["spk"] @ w["v"].T
            if layer["model"] == "cuba_lif":
                s["syn"] = layer["alpha"] * s["syn"] + current
                current = s["syn"]
            mem = s["mem"]
            if layer["model"] == "li":
                s["mem"] = layer["beta"] * mem + current
                inp = s["mem"]
                continue
            theta = layer["threshold"]
            # snnTorch: the reset of step t comes from the membrane of step t-1.
            if layer["reset_delay"]:
                reset = Spike.apply(mem - theta, layer["surrogate"], layer["slope"])
                if layer["detach_reset"]:
                    reset = reset.detach()
                if layer["reset"] == "subtract":
                    mem = layer["beta"] * mem + current - reset * theta
                else:
                    mem = layer["beta"] * (1 - reset) * mem + current
                spk = Spike.apply(mem - theta, layer["surrogate"], layer["slope"])
            else:
                mem = layer["beta"] * mem + current
                spk = Spike.apply(mem - theta, layer["surrogate"], layer["slope"])
                r = spk.detach() if layer["detach_reset"] else spk
                if layer["reset"] == "subtract":
                    mem = mem - r * theta
                else:
                    mem = mem * (1 - r)
            s["mem"], s["spk"] = mem, spk
            inp = spk
        outputs.append(inp)
    out = torch.stack(outputs)  # (steps, batch, classes)
    target = torch.tensor(y, dtype=torch.int64)
    if loss == "ce_count":
        value = torch.nn.functional.cross_entropy(out.sum(0), target)
    elif loss == "ce_max_membrane":
        value = torch.nn.functional.cross_entropy(out.max(0).values, target)
    elif loss == "ce_per_step":
        value = sum(torch.nn.functional.cross_entropy(out[t], target) for t in range(steps)) / steps
    else:
        counts = torch.full(out.shape[1:], float(int(steps * off_rate)), dtype=torch.float64)
        counts[torch.arange(batch), target] = float(int(steps * on_rate))
        value = torch.nn.functional.mse_loss(out.sum(0), counts) / steps  # snnTorch's mse_count_loss
    value.backward()
    return value.item(), [{k: v.grad.numpy() for k, v in w.items()} for w in weights]


CASES = {
    "Leaky, snnTorch defaults, ce_count": (
        [sgt.Leaky(beta=0.9)], sgt.Leaky(beta=0.85), "ce_count", "static"),
    "RLeaky zero reset, fast_sigmoid, mse_count on spikes": (
        [sgt.RLeaky(beta=0.8, reset="zero", surrogate=sgt.fast_sigmoid(10.0))],
        sgt.Leaky(beta=0.9, surrogate=sgt.fast_sigmoid(10.0)), "mse_count", "spikes"),
    "Synaptic, immediate attached reset, sigmoid, LI max membrane": (
        [sgt.Synaptic(alpha=0.7, beta=0.9, reset_delay=False, detach_reset=False, surrogate=sgt.sigmoid(5.0))],
        sgt.LI(beta=0.8), "ce_max_membrane", "static"),
    "two hidden layers, attached delayed reset, triangle, ce_per_step": (
        [sgt.Leaky(beta=0.9, detach_reset=False, surrogate=sgt.triangle(0.5)),
         sgt.Leaky(beta=0.7, reset="zero", surrogate=sgt.triangle(0.5))],
        sgt.Leaky(beta=0.9, surrogate=sgt.triangle(0.5)), "ce_per_step", "spikes"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bptt_equals_torch_autograd(name):
    hidden, output, loss, inputs = CASES[name]
    rng = np.random.default_rng(5)
    sizes = [5] + [7] * len(hidden) + [4]
    layers = []
    for i, neurons in enumerate(hidden + [output]):
        layers += [sgt.Linear(sizes[i], sizes[i + 1]), neurons]
    model = sgt.Model(layers, seed=3, precision="double")
    params = model.parameters
    for p in params:
        p["w"] *= 2.5  # membranes near threshold: many spikes, large surrogate derivatives
    model.parameters = params
    steps = 12
    x = rng.uniform(0, 1, (6, 5)) if inputs == "static" else (rng.uniform(0, 1, (6, steps, 5)) < 0.4).astype(float)
    x = x.astype(np.float32).astype(np.float64)  # the trainer reads inputs as float32: the same data for both
    y = rng.integers(0, 4, 6)
    ours, grads = model.loss_and_gradient(x, y, steps=steps, loss=loss, on_rate=0.5, off_rate=0.1)
    theirs, torch_grads = reference_loss(model.layers, model.parameters, x, y, steps, loss, 0.5, 0.1)
    assert ours == pytest.approx(theirs, rel=1e-12)
    for mine, ref in zip(grads, torch_grads):
        for key in ref:
            scale = max(np.abs(ref[key]).max(), 1e-12)
            assert np.abs(mine[key] - ref[key]).max() / scale < 1e-10, key
    assert any(np.abs(g["w"]).max() > 1e-6 for g in grads)


def test_leaky_equals_snntorch_leaky():
    """The trained forward pass and gradient against snnTorch's own Leaky (float64)."""
    snn = pytest.importorskip("snntorch")
    from snntorch import surrogate
    rng = np.random.default_rng(7)
    model = sgt.Model([sgt.Linear(5, 9), sgt.Leaky(beta=0.9), sgt.Linear(9, 3), sgt.Leaky(beta=0.8)],
                      seed=2, precision="double")
    params = model.parameters
    for p in params:
        p["w"] *= 3.0
    model.parameters = params
    steps, y = 15, rng.integers(0, 3, 8)
    x = rng.uniform(0, 1, (8, 5)).astype(np.float32).astype(np.float64)
    ours, grads = model.loss_and_gradient(x, y, steps=steps, loss="ce_count")

    fc = [torch.nn.Linear(5, 9).double(), torch.nn.Linear(9, 3).double()]
    with torch.no_grad():
        for f, p in zip(fc, params):
            f.weight.copy_(torch.tensor(p["w"]))
            f.bias.copy_(torch.tensor(p["b"]))
    lif = [snn.Leaky(beta=0.9, spike_grad=surrogate.atan()), snn.Leaky(beta=0.8, spike_grad=surrogate.atan())]
    mems = [torch.zeros(8, 9, dtype=torch.float64), torch.zeros(8, 3, dtype=torch.float64)]
    xt = torch.tensor(x)
    counts = 0
    for _ in range(steps):
        inp = xt
        for i in range(2):
            spk, mems[i] = lif[i](fc[i](inp), mems[i])
            inp = spk.double()  # snnTorch scales spikes by a float32 factor
        counts = counts + inp
    value = torch.nn.functional.cross_entropy(counts, torch.tensor(y))
    value.backward()
    assert ours == pytest.approx(value.item(), rel=1e-6)
    for f, g in zip(fc, grads):
        scale = f.weight.grad.abs().max().item()
        assert np.abs(g["w"] - f.weight.grad.numpy()).max() / scale < 1e-6
