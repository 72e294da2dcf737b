"""Surrogate-gradient training in C++ with the neuron dynamics spikegraph simulates.

A model is a list of layers in snnTorch's style, a projection followed by its neurons:

    from spikegraph import training as sgt
    model = sgt.Model([sgt.Linear(4, 120), sgt.Leaky(beta=0.9),
                       sgt.Linear(120, 3), sgt.Leaky(beta=0.9)], seed=1)
    history = model.fit(x_train, y_train, steps=50, epochs=30, loss="ce_count",
                        optimizer=sgt.Adam(lr=2e-3), validation=(x_test, y_test))
    model.evaluate(x_test, y_test)["accuracy"]

Inputs are NumPy arrays: (samples, features) presented as the same current at every one of
`steps` steps, or (samples, steps, features) presented step by step (spike trains). Neurons
follow snnTorch's conventions (research notes: TRAINING_INTEROP.md):
  Leaky     U[t] = beta U[t-1] + W x[t] + b - reset,  spike when U >= threshold
  Synaptic  I[t] = alpha I[t-1] + W x[t] + b,  U[t] = beta U[t-1] + I[t] - reset
  LI        U[t] = beta U[t-1] + W x[t] + b, no spikes (a readout)
with reset "subtract" (threshold), "zero" or "none", delayed by a step as snnTorch does
(reset_delay=True) or immediate as the simulator's lif, and the reset detached from the
gradient by default. Surrogates: atan (default, alpha 2), fast_sigmoid (slope 25), sigmoid
(slope 25), triangle (slope 1).
"""
import sys
import time

import numpy as np

from . import _core

__all__ = ["Adam", "History", "LI", "Leaky", "Linear", "Model", "RLeaky", "SGD", "Synaptic", "atan",
           "fast_sigmoid", "sigmoid", "triangle"]


# Surrogate derivatives -------------------------------------------------------------------

def atan(alpha=2.0):
    """(alpha/2) / (1 + (pi alpha x / 2)^2), snnTorch's default."""
    return {"surrogate": "atan", "slope": float(alpha)}


def fast_sigmoid(slope=25.0):
    """1 / (1 + slope |x|)^2 (SuperSpike)."""
    return {"surrogate": "fast_sigmoid", "slope": float(slope)}


def sigmoid(slope=25.0):
    """slope s(1 - s), s = sigmoid(slope x)."""
    return {"surrogate": "sigmoid", "slope": float(slope)}


def triangle(slope=1.0):
    """slope max(0, 1 - slope |x|)."""
    return {"surrogate": "triangle", "slope": float(slope)}


# Layers ------------------------------------------------------------------------------------

class Linear:
    """A dense projection from `inputs` to `outputs` neurons (weights W of shape (outputs, inputs))."""

    def __init__(self, inputs, outputs, bias=True):
        self.inputs, self.outputs, self.bias = int(inputs), int(outputs), bool(bias)


class _Neurons:
    model = "lif"

    def __init__(self, beta, threshold=1.0, surrogate=None, reset="subtract", reset_delay=True,
                 detach_reset=True, recurrent=False, alpha=None):
        self.spec = {"model": self.model, "beta": float(beta), "threshold": float(threshold),
                     "reset": str(reset), "reset_delay": bool(reset_delay),
                     "detach_reset": bool(detach_reset), "recurrent": bool(recurrent)}
        if alpha is not None:
            self.spec["alpha"] = float(alpha)
        self.spec.update(surrogate or atan())


class Leaky(_Neurons):
    """First-order LIF neurons (snnTorch Leaky); recurrent=True adds all-to-all recurrent weights."""
    model = "lif"


class RLeaky(Leaky):
    """Leaky neurons with recurrent weights (snnTorch RLeaky with all-to-all recurrence)."""

    def __init__(self, beta, **kwargs):
        super().__init__(beta, recurrent=True, **kwargs)


class Synaptic(_Neurons):
    """Current-based LIF neurons (snnTorch Synaptic): a synaptic current decaying by alpha."""
    model = "cuba_lif"

    def __init__(self, alpha, beta, **kwargs):
        super().__init__(beta, alpha=alpha, **kwargs)


class LI(_Neurons):
    """Leaky-integrator readout: membrane only, no spikes; train it with ce_max_membrane or
    ce_per_step."""
    model = "li"

    def __init__(self, beta):
        super().__init__(beta, reset="none")


# Optimisers --------------------------------------------------------------------------------

def Adam(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    """torch.optim.Adam's update rule."""
    return {"optimizer": "adam", "lr": float(lr), "beta1": float(betas[0]), "beta2": float(betas[1]),
            "eps": float(eps), "weight_decay": float(weight_decay)}


def SGD(lr, momentum=0.0, nesterov=False, weight_decay=0.0):
    """torch.optim.SGD's update rule."""
    return {"optimizer": "sgd", "lr": float(lr), "momentum": float(momentum), "nesterov": bool(nesterov),
            "weight_decay": float(weight_decay)}


class History(dict):
    """Per-epoch lists: loss, accuracy, val_loss, val_accuracy, seconds, state_bytes; also
    readable as attributes (history.accuracy)."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def _append(self, record):
        for key, value in record.items():
            if key != "epoch":
                self.setdefault(key, []).append(value)


class _EpochProgress:
    """A redrawn bar per epoch on a terminal or in a notebook, a line per epoch elsewhere."""

    def __init__(self, epochs, enabled):
        self.epochs, self.enabled = epochs, enabled
        self.redraw = sys.stderr.isatty() or "ipykernel" in sys.modules
        self.epoch, self.start = 0, time.perf_counter()

    def batch(self, done, total):
        if self.enabled and self.redraw:
            bar = "#" * int(20 * done / total)
            sys.stderr.write(f"\repoch {self.epoch + 1}/{self.epochs} [{bar:<20}] {done}/{total} batches")
            sys.stderr.flush()

    def end_of_epoch(self, record):
        if not self.enabled:
            return
        line = (f"epoch {record['epoch'] + 1}/{self.epochs}: loss {record['loss']:.4f}, "
                f"accuracy {100 * record['accuracy']:.2f}%")
        if record["val_accuracy"] == record["val_accuracy"]:  # not NaN
            line += f", val_loss {record['val_loss']:.4f}, val_accuracy {100 * record['val_accuracy']:.2f}%"
        line += f", {record['seconds']:.2f} s"
        elapsed = time.perf_counter() - self.start
        remaining = elapsed / (record["epoch"] + 1) * (self.epochs - record["epoch"] - 1)
        if record["epoch"] + 1 < self.epochs:
            line += f" (ETA {remaining:.0f} s)"
        sys.stderr.write(("\r" if self.redraw else "") + line + " " * 8 + "\n")
        sys.stderr.flush()
        self.epoch = record["epoch"] + 1


def _inputs(x):
    x = np.ascontiguousarray(x, dtype=np.float32)
    if x.ndim not in (2, 3):
        raise ValueError(f"inputs must have shape (samples, features) or (samples, steps, features), not {x.shape}")
    return x


def _labels(y, samples):
    y = np.asarray(y)
    if y.ndim != 1 or len(y) != samples:
        raise ValueError(f"labels must have shape ({samples},), not {y.shape}")
    if not np.issubdtype(y.dtype, np.integer):
        if not np.all(np.isfinite(y)) or np.any(y != np.round(y)):
            raise ValueError("labels must be whole class indices")
    return np.ascontiguousarray(y, dtype=np.int64)


class Model:
    """A stack of Linear + neuron layers trained by BPTT, SLTT or SLTT-K in C++.

    precision: "float" (fast) or "double" (gradient checks). seed: the weights' initial values,
    uniform in +-1/sqrt(fan_in) as torch.nn.Linear."""

    def __init__(self, layers, seed=1, precision="float"):
        layers = list(layers)
        if not layers or len(layers) % 2:
            raise ValueError("a model is a list of (Linear, neurons) pairs")
        specs = []
        for i in range(0, len(layers), 2):
            linear, neurons = layers[i], layers[i + 1]
            if not isinstance(linear, Linear) or not isinstance(neurons, _Neurons):
                raise ValueError(f"layer {i // 2}: expected Linear followed by Leaky, RLeaky, Synaptic or LI, "
                                 f"got {type(linear).__name__} and {type(neurons).__name__}")
            spec = dict(neurons.spec)
            spec.update(inputs=linear.inputs, size=linear.outputs, bias=linear.bias)
            specs.append(spec)
        self.layers = specs
        self.seed = int(seed)
        self._model = _core.TrainingModel(specs, precision, self.seed)
        self.loss = "ce_count"
        self.steps = None

    @property
    def precision(self):
        return self._model.precision

    @property
    def inputs(self):
        return self.layers[0]["inputs"]

    @property
    def outputs(self):
        return self.layers[-1]["size"]

    def fit(self, x, y, steps=None, epochs=1, batch_size=32, loss="ce_count", optimizer=None,
            algorithm="bptt", k=None, validation=None, threads=0, seed=None, shuffle=True, progress=True,
            chunk=16, on_rate=1.0, off_rate=0.0, trainable=None, callback=None, schedule="constant",
            _projection=None):
        """Trains for `epochs` and returns a History.

        loss: "ce_count" (cross-entropy on spike counts), "ce_max_membrane", "ce_per_step",
        "mse_count" (target counts steps * on_rate / off_rate). algorithm: "bptt", "sltt"
        (memory independent of steps), "sltt_k" (gradient at k random steps per minibatch).
        Samples of a minibatch run in parallel in chunks of `chunk` (threads=0: all cores);
        results are identical for any thread count. schedule: "constant" or "cosine" (the learning
        rate falls as torch's CosineAnnealingLR over the epochs). callback(record) may return
        False to stop."""
        x = _inputs(x)
        y = _labels(y, len(x))
        steps = self._steps(x, steps)
        if validation is not None:
            vx, vy = validation
            vx = _inputs(vx)
            validation = (vx, _labels(vy, len(vx)))
        options = dict(optimizer or Adam())
        options.update(loss=loss, on_rate=float(on_rate), off_rate=float(off_rate), algorithm=algorithm,
                       sltt_k=int(k or 0), epochs=int(epochs), batch_size=int(batch_size), chunk=int(chunk),
                       threads=int(threads), seed=int(self.seed if seed is None else seed), shuffle=bool(shuffle),
                       schedule=str(schedule))
        if trainable is not None:
            options["trainable"] = [bool(t) for t in trainable]
        if _projection is not None:  # spikegraph.hlop
            options["projection"] = list(_projection)
        bar = _EpochProgress(int(epochs), progress)
        history = History()

        def on_epoch(record):
            history._append(record)
            bar.end_of_epoch(record)
            return callback(record) is not False if callback else True

        self._model.fit(x, y, steps, options, validation, bar.batch if progress else None, on_epoch)
        self.loss, self.steps = loss, steps
        return history

    def evaluate(self, x, y, steps=None, loss=None, threads=0):
        """{"loss", "accuracy", "predictions", "outputs"} over all of x; outputs are what the loss
        reads per class (spike counts, maximum membrane, ...), shape (samples, classes)."""
        x = _inputs(x)
        return self._model.evaluate(x, _labels(y, len(x)), self._steps(x, steps), {"loss": loss or self.loss},
                                    int(threads))

    def predict(self, x, steps=None, threads=0):
        """The predicted class of every sample (argmax of the outputs)."""
        x = _inputs(x)
        return self._model.evaluate(x, None, self._steps(x, steps), {"loss": self.loss}, int(threads))["predictions"]

    def output_trace(self, x, steps=None):
        """The output layer's spikes (or li membrane) at every step: (samples, steps, classes)."""
        x = _inputs(x)
        return self._model.output_trace(x, self._steps(x, steps))

    def loss_and_gradient(self, x, y, steps=None, loss="ce_count", algorithm="bptt", on_rate=1.0, off_rate=0.0):
        """The minibatch-mean loss over all of x and its gradient: a list per layer of
        {"w", "v", "b"} arrays."""
        x = _inputs(x)
        return self._model.loss_and_gradient(x, _labels(y, len(x)), self._steps(x, steps),
                                             {"loss": loss, "on_rate": float(on_rate), "off_rate": float(off_rate)},
                                             algorithm)

    def to_network(self, x, steps=None, dt=1.0):
        """The trained model as a spikegraph Network of lif neurons, one copy per sample of x;
        returns (network, info). See spikegraph.trained_network."""
        from .trained_network import to_network
        return to_network(self, x, steps, dt)

    def run_on_backend(self, x, y=None, steps=None, backend="cpu", dt=1.0, precision="double", threads=0):
        """Runs the exported network on a simulator backend; returns its outputs, predictions and
        (with labels) accuracy, read out as the trainer reads them."""
        from .trained_network import run_on_backend
        return run_on_backend(self, x, y, steps, backend, dt, precision, threads)

    def copy(self, precision=None):
        """A copy of the model (in another precision if given) with the same parameters."""
        other = Model.__new__(Model)
        other.layers, other.seed, other.loss, other.steps = [dict(l) for l in self.layers], self.seed, self.loss, self.steps
        other._model = _core.TrainingModel(other.layers, precision or self.precision, self.seed)
        other._model.set_parameters(self._model.parameters())
        return other

    @property
    def parameters(self):
        """Per layer {"w": (size, inputs), "v": (size, size) if recurrent, "b": (size,)}, as copies."""
        return self._model.parameters()

    @parameters.setter
    def parameters(self, values):
        self._model.set_parameters(list(values))

    def _steps(self, x, steps):
        if x.ndim == 3:
            if steps is not None and steps != x.shape[1]:
                raise ValueError(f"steps={steps} but the inputs hold {x.shape[1]} steps")
            return x.shape[1]
        steps = steps if steps is not None else self.steps
        if steps is None:
            raise ValueError("static inputs (samples, features) need steps=: how many steps each sample is presented")
        return int(steps)
