"""A trained model as a spikegraph Network that every backend runs, and its accuracy there.

Each trained layer becomes a population of the simulator's `lif` neurons (Leaky, LI) or of its
`cuba_lif` neurons with integration = "discrete" (Synaptic) with the same discrete-time dynamics
(dt per step):
  beta       -> tau_m = -dt / ln(beta)                 (the membrane decay per step)
  threshold  -> v_th, with v_rest = 0 and c_m = 1 nF; spikes when v >= v_th in both
  reset      -> "subtract": v_reset = v_th - r with r = threshold (immediate) or threshold / beta
                (snnTorch's delayed reset gives the same spikes); "zero": v_reset = 0, to value
  bias b     -> a spike source firing at every step of the layer's window through weights b
                (the first layer of static inputs: i_offset = (W x + b) / p20, p20 = tau_m (1 - beta) / c_m,
                the voltage a current adds per step)
  W          -> a projection of delta synapses [mV] with a delay of one step
  LI readout -> lif with a threshold never reached (1e30 mV), its membrane recorded
  Synaptic   -> cuba_lif, alpha -> tau_syn_e = tau_syn_i = -dt / ln(alpha); W and b enter the
                synaptic current (nA, adding its value in mV to v each step), a static input's
                W x + b as i_offset, which the discrete form adds to the current
Static inputs (samples, features) enter as they do in training, as a current: W x joins the bias
in i_offset. Spike inputs (samples, steps, features) come from a spike source through W.

Many samples run at once as independent copies of the network (block-diagonal projections),
so one compile and one run evaluate a whole test set. A spike crosses a projection in one step,
so layer l lags the trainer by l steps (l + 1 with spike inputs); the readout window is shifted
by that lag and is as long as the trainer's.
"""
import math

import numpy as np

from .connectors import FromMatrix
from .network import Network


# The threshold of an LI readout: finite (as lif requires) and representable in float, and far
# beyond any membrane a trained layer reaches.
_NEVER = 1e30


def _check_exportable(layer, index):
    where = f"to_network: layer {index}"
    if layer["model"] == "cuba_lif" and not 0.0 < layer["alpha"] < 1.0:
        raise ValueError(f"{where}: alpha = {layer['alpha']} has no synaptic time constant (it must lie in (0, 1))")
    beta = layer["beta"]
    if not 0.0 < beta < 1.0:
        raise ValueError(f"{where}: beta = {beta} has no membrane time constant (it must lie in (0, 1))")
    if layer["model"] in ("lif", "cuba_lif") and layer["reset"] == "none":
        raise ValueError(f"{where}: reset 'none' has no counterpart in the simulator's {layer['model']} (it always resets)")


def _lif_parameters(layer, dt):
    beta = layer["beta"]
    tau_m = -dt / math.log(beta)
    p = {"tau_m": tau_m, "c_m": 1.0, "v_rest": 0.0, "t_ref": 0.0, "v": 0.0}
    if layer["model"] == "li":
        p.update(v_th=_NEVER, v_reset=0.0)
    elif layer["reset"] == "zero":
        p.update(v_th=layer["threshold"], v_reset=0.0, reset="to_value")
    else:
        step = layer["threshold"] / beta if layer["reset_delay"] else layer["threshold"]
        p.update(v_th=layer["threshold"], v_reset=layer["threshold"] - step, reset="subtract")
    if layer["model"] == "cuba_lif":
        tau_syn = -dt / math.log(layer["alpha"])
        p.update(tau_syn_e=tau_syn, tau_syn_i=tau_syn, integration="discrete")
        return p, 1.0  # the discrete form adds i_offset to the current unscaled
    return p, -tau_m * math.expm1(-dt / tau_m)  # p20 with c_m = 1


def _block_diagonal(matrix, copies):
    """`copies` copies of the (pre, post) matrix along the diagonal, as a CSR matrix."""
    import scipy.sparse
    return scipy.sparse.kron(scipy.sparse.identity(copies, format="csr"),
                             scipy.sparse.csr_matrix(matrix), format="csr")


def to_network(model, x, steps=None, dt=1.0):
    """The trained `model` as a Network holding one copy per sample of `x`; returns
    (network, info) where info names the output population, the lag and the window."""
    from .training import _inputs
    x = _inputs(x)
    steps = model._steps(x, steps)
    sequence = x.ndim == 3
    samples = len(x)
    params = model.parameters
    for index, layer in enumerate(model.layers):
        _check_exportable(layer, index)
    if sequence and not np.all((x == 0) | (x == 1)):
        raise ValueError("to_network: inputs of shape (samples, steps, features) must be spikes (0 or 1); "
                         "graded inputs are given as (samples, features) currents")

    net = Network()
    previous = None
    if sequence:
        sample, step, feature = np.nonzero(x)
        trains = [[] for _ in range(samples * model.inputs)]
        for s, t, f in zip(sample, step, feature):
            trains[s * model.inputs + f].append((t + 1) * dt)  # emitted at the end of step t
        previous = net.add_spike_source("input", trains)
    for index, layer in enumerate(model.layers):
        p, current_to_voltage = _lif_parameters(layer, dt)
        size = layer["size"]
        lag = index + (1 if sequence else 0)
        bias = np.tile(params[index].get("b", np.zeros(size)), samples)
        if lag == 0:
            # The first layer of static inputs starts at step 0: its input W x and bias enter as a
            # current, as in training.
            p["i_offset"] = (bias + (x.astype(np.float64) @ params[0]["w"].T).ravel()) / current_to_voltage
        population = net.add_population(f"layer{index}", "cuba_lif" if layer["model"] == "cuba_lif" else "lif",
                                        samples * size, **p)
        if lag > 0 and "b" in params[index]:
            # A layer that starts `lag` steps late takes its bias from a source spiking at every
            # step of its window, so that no bias is integrated before the layer's first step.
            source = net.add_spike_source(f"bias{index}", [[(lag + k) * dt for k in range(steps)]])
            net.connect(source, population, FromMatrix(bias[None, :]), delay=dt, name=f"b{index}")
        if previous is not None:
            net.connect(previous, population, FromMatrix(_block_diagonal(params[index]["w"].T, samples)),
                        delay=dt, name=f"w{index}")
        if layer["recurrent"]:
            net.connect(population, population, FromMatrix(_block_diagonal(params[index]["v"].T, samples)),
                        delay=dt, name=f"v{index}")
        previous = population
    output = f"layer{len(model.layers) - 1}"
    readout = "v" if model.layers[-1]["model"] == "li" else "spikes"
    net.record(output, readout)
    lag = len(model.layers) - 1 + (1 if sequence else 0)
    return net, {"output": output, "readout": readout, "lag": lag, "steps": steps, "samples": samples,
                 "classes": model.outputs, "dt": dt}


def run_on_backend(model, x, y=None, steps=None, backend="cpu", dt=1.0, precision="double", threads=0,
                   batch=500):
    """Runs the exported network on `backend` and reads out what the trainer's loss reads:
    spike counts (or the maximum membrane of an LI readout) over the trainer's window.
    Returns {"outputs" (samples, classes), "predictions", "accuracy" (if y), "output_trace"}."""
    from .simulation import compile as compile_network
    from .training import _inputs
    x = _inputs(x)
    outputs, traces = [], []
    for start in range(0, len(x), batch):
        part = x[start:start + batch]
        net, info = to_network(model, part, steps, dt)
        sim = compile_network(net, backend=backend, dt=dt, precision=precision, threads=threads)
        total = info["steps"] + info["lag"]
        sim.run(total * dt, progress=False)
        classes, n = info["classes"], len(part)
        trace = np.zeros((n, total, classes))
        if info["readout"] == "spikes":
            spikes = sim.spikes(info["output"])
            step = np.rint(spikes.times / dt).astype(np.int64) - 1  # recorded at the end of their step
            np.add.at(trace, (spikes.senders // classes, step, spikes.senders % classes), 1.0)
        else:
            recorded = sim.trace(info["output"], "v")
            values = np.asarray(recorded.values)  # (recorded steps, neurons)
            trace[:, :values.shape[0], :] = values.reshape(values.shape[0], n, classes).transpose(1, 0, 2)
        window = trace[:, info["lag"]:info["lag"] + info["steps"], :]
        traces.append(window)
        outputs.append(window.max(axis=1) if info["readout"] == "v" else window.sum(axis=1))
    result = {"outputs": np.concatenate(outputs), "output_trace": np.concatenate(traces)}
    result["predictions"] = np.argmax(result["outputs"], axis=1)
    if y is not None:
        result["accuracy"] = float(np.mean(result["predictions"] == np.asarray(y)))
    return result
