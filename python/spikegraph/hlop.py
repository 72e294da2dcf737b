"""Continual learning with Hebbian learning based orthogonal projection (HLOP; Xiao et al.,
ICLR 2024), for spikegraph.training models.

Per layer, k lateral "subspace neurons" with weights H (k × inputs) learn, with the Hebbian /
anti-Hebbian subspace rule (spikegraph.subspace_update), the principal subspace of the layer's
presynaptic activity on each task (its input for the first layer, the spike rate of the layer
below for the others). While later tasks train, every weight gradient G of the layer loses its
component in that subspace, G <- G - G H^T H, so the responses to earlier tasks' inputs stay as
they were; biases stay fixed after the first task. Each task adds `increment` new subspace
neurons, which learn beside the frozen earlier ones.

normalize=True scales each task's activity of a layer to a mean squared norm of 1 before the rule
runs, so that eta no longer depends on the layer's width and firing (without it a wide hidden layer
can make the rule diverge); momentum (0.9 in the paper's code) runs the rule as a heavy ball,
v <- m v + (1 - m) dH, H <- H + eta v, which converges in fewer epochs and stays stable for larger eta.

    hlop = HLOP(model, neurons=[24, 40], increment=[8, 16])
    result = train_continual(model, tasks, epochs=20, hlop=hlop, steps=25)
    result["acc"], result["bwt"]      # ACC and BWT as the paper defines them
"""
import numpy as np

from ._core import subspace_update


class HLOP:
    """The subspaces of one model's layers. neurons: subspace neurons per layer for the first
    task; increment: neurons added per later task; eta, epochs, batch_size: the Hebbian learning
    (mean update over a batch of samples, `epochs` passes over a task's data); momentum: heavy-ball
    momentum of the rule (0: plain updates); normalize: scale each task's activity of a layer to a
    mean squared norm of 1 (eta then means the same for every layer)."""

    def __init__(self, model, neurons, increment=None, eta=0.02, epochs=20, batch_size=64, seed=0,
                 momentum=0.0, normalize=False):
        layers = len(model.layers)
        self.neurons = [int(n) for n in neurons]
        self.increment = [int(n) for n in (increment if increment is not None else neurons)]
        if len(self.neurons) != layers or len(self.increment) != layers:
            raise ValueError(f"HLOP: neurons and increment need one entry per layer ({layers})")
        if any(n < 0 for n in self.neurons + self.increment):
            raise ValueError("HLOP: numbers of subspace neurons must be >= 0")
        if not eta > 0:
            raise ValueError(f"HLOP: eta = {eta} must be positive")
        if not 0 <= momentum < 1:
            raise ValueError(f"HLOP: momentum = {momentum} must lie in [0, 1)")
        self.model, self.eta, self.epochs, self.batch_size = model, float(eta), int(epochs), int(batch_size)
        self.momentum, self.normalize = float(momentum), bool(normalize)
        self.rng = np.random.default_rng(seed)
        self.subspaces = [np.zeros((0, layer["inputs"])) for layer in model.layers]
        self.tasks = 0

    def learn(self, x, steps=None):
        """Adds this task's subspace neurons and trains them on the presynaptic activity of x."""
        from .training import _inputs
        x = _inputs(x)
        activity = self.model._model.layer_inputs(x, self.model._steps(x, steps))
        for layer, rates in enumerate(activity):
            old = self.subspaces[layer]
            new = self.neurons[layer] if self.tasks == 0 else self.increment[layer]
            new = min(new, rates.shape[1] - len(old))
            if new <= 0:
                continue
            if self.normalize:
                power = np.mean(np.sum(rates * rates, axis=1))
                if power > 0:
                    rates = rates / np.sqrt(power)
            # New rows start orthonormal and orthogonal to the frozen ones.
            start = self.rng.standard_normal((rates.shape[1], new))
            if len(old):
                start -= old.T @ (old @ start)
            start, _ = np.linalg.qr(start)
            h = np.vstack([old, start.T])
            velocity = np.zeros_like(h) if self.momentum else None
            for _ in range(self.epochs):
                order = self.rng.permutation(len(rates))
                for begin in range(0, len(order), self.batch_size):
                    batch = rates[order[begin:begin + self.batch_size]].T
                    if velocity is None:
                        h = subspace_update(h, batch, self.eta, len(old))
                    else:
                        # The rule's update dH (frozen rows: 0), fed through heavy-ball momentum.
                        velocity *= self.momentum
                        velocity += (1 - self.momentum) * (subspace_update(h, batch, 1.0, len(old)) - h)
                        h = h + self.eta * velocity
            if not np.all(np.isfinite(h)):
                raise FloatingPointError(f"HLOP: the subspace rule diverged in layer {layer} (lower eta, "
                                         "or use normalize=True)")
            self.subspaces[layer] = h
        self.tasks += 1

    def projection(self):
        """Per layer an orthonormal basis of the learned subspace (None where empty)."""
        bases = []
        for h in self.subspaces:
            if len(h) == 0:
                bases.append(None)
                continue
            q, _ = np.linalg.qr(h.T)
            bases.append(np.ascontiguousarray(q.T))
        return bases


def train_continual(model, tasks, epochs, hlop=None, steps=None, progress=False, learn_last=True, **fit_options):
    """Trains `model` on each task in turn; tasks are (x_train, y_train, x_test, y_test). With an
    HLOP, every task after the first trains with gradients projected out of the earlier tasks'
    subspaces; learn_last=False skips learning the last task's subspace, which no task here uses
    (it saves time; the accuracies are the same). Returns {"accuracy": R (R[i, j]: accuracy on task j after training task i),
    "acc": mean of the last row, "bwt": mean over j < T-1 of R[T-1, j] - R[j, j]}."""
    count = len(tasks)
    accuracy = np.zeros((count, count))
    for i, (x_train, y_train, _, _) in enumerate(tasks):
        options = dict(fit_options)
        if hlop is not None and i > 0:
            options["_projection"] = hlop.projection()
        model.fit(x_train, y_train, steps=steps, epochs=epochs, progress=progress, **options)
        if hlop is not None and (learn_last or i < count - 1):
            hlop.learn(x_train, steps)
        for j, (_, _, x_test, y_test) in enumerate(tasks):
            accuracy[i, j] = model.evaluate(x_test, y_test, steps=steps)["accuracy"]
    last = accuracy[-1]
    bwt = float(np.mean([last[j] - accuracy[j, j] for j in range(count - 1)])) if count > 1 else 0.0
    return {"accuracy": accuracy, "acc": float(np.mean(last)), "bwt": bwt}
