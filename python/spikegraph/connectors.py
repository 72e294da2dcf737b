"""Connectors: which synapses a projection has."""
import numpy as np

from ._core import (
    AllToAll,
    FixedInDegree,
    FixedOutDegree,
    FixedProbability,
    FixedTotalNumber,
    FromDenseMatrix,
    FromList,
    FromSparseMatrix,
    OneToOne,
)

__all__ = ["AllToAll", "FixedInDegree", "FixedOutDegree", "FixedProbability", "FixedTotalNumber",
           "FromList", "FromMatrix", "OneToOne"]


def FromMatrix(weights, delays=None):
    """Synapses from an n_pre x n_post weight matrix: a NumPy array (zeros make no synapse) or a
    scipy.sparse matrix (every stored entry is a synapse). `delays` [ms] has the same shape, or
    for a sparse matrix one value per stored entry."""
    if hasattr(weights, "tocsr"):
        csr = weights.tocsr()
        csr.sort_indices()
        if delays is not None and hasattr(delays, "tocsr"):
            delays = delays.tocsr()
            delays.sort_indices()
            delays = delays.data
        rows, cols = csr.shape
        return FromSparseMatrix(rows, cols, csr.indptr, csr.indices, csr.data,
                                None if delays is None else np.ravel(delays))
    return FromDenseMatrix(np.asarray(weights, dtype=float),
                           None if delays is None else np.ravel(np.asarray(delays, dtype=float)))
