"""Distributions for per-neuron parameters, initial values, weights and delays."""
from ._core import Distribution


def Uniform(low, high):
    """Uniform on [low, high)."""
    return Distribution.uniform(float(low), float(high))


def Normal(mean, sd):
    """Normal with the given mean and standard deviation."""
    return Distribution.normal(float(mean), float(sd))


def NormalClipped(mean, sd, low, high):
    """Normal, redrawn until it falls in [low, high] (PyNN's normal_clipped)."""
    return Distribution.normal_clipped(float(mean), float(sd), float(low), float(high))


def LogNormal(mu, sigma):
    """exp(Normal(mu, sigma)): mu and sigma describe the logarithm."""
    return Distribution.lognormal(float(mu), float(sigma))
