"""The training benchmark's cases: data, network and hyper-parameters, shared by the spikegraph
and snnTorch runs so that both train the same network on the same data."""

CASES = {
    # Yin-Yang (Kriener et al. 2021): 5000 training points (seed 42), 1000 test points (seed 40);
    # the four coordinates are presented as a constant input current for 50 steps.
    "yinyang": {"sizes": (4, 120, 3), "steps": 50, "beta": 0.9, "batch_size": 32, "lr": 2e-3,
                "schedule": "cosine", "loss": "ce_count", "epochs": 30},
    # scikit-learn's digits (1797 8x8 images, pixels / 16), 80/20 split (seed 0), 25 steps.
    "digits": {"sizes": (64, 128, 10), "steps": 25, "beta": 0.9, "batch_size": 32, "lr": 2e-3,
               "schedule": "cosine", "loss": "ce_count", "epochs": 30},
}


def load(case, datasets, steps):
    """((x_train, y_train), (x_test, y_test)) of a case, from spikegraph.datasets."""
    if case == "yinyang":
        return datasets.yin_yang(5000, seed=42), datasets.yin_yang(1000, seed=40)
    if case == "digits":
        x, y = datasets.digits()
        x_train, y_train, x_test, y_test = datasets.train_test_split(x, y, test_fraction=0.2, seed=0)
        return (x_train, y_train), (x_test, y_test)
    raise ValueError(f"unknown case {case!r}")
