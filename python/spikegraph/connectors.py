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
    scipy.sparse matrix (every stored entry is a synapse). `delays` [ms] is a number, an array of
    the same shape, or for a sparse matrix a sparse matrix with the same stored entries (or, for a
    CSR matrix, an array with one value per stored entry in its order). The matrices given are
    not modified."""
    if hasattr(weights, "tocsr"):
        was_csr = getattr(weights, "format", None) == "csr"
        csr = weights.tocsr()
        rows, cols = csr.shape
        entry_delays = None
        if delays is not None and hasattr(delays, "tocsr"):
            d = delays.tocsr()
            if d.shape != csr.shape or not (np.array_equal(d.indptr, csr.indptr) and np.array_equal(d.indices, csr.indices)):
                raise sg_error("from_matrix: the sparse delay matrix must store exactly the entries of the weight matrix")
            entry_delays = d.data
        elif delays is not None and np.ndim(delays) == 0:
            entry_delays = np.full(csr.nnz, float(delays))
        elif delays is not None:
            if not was_csr:
                raise sg_error("from_matrix: per-entry delays as an array need a CSR weight matrix "
                               "(converting other formats reorders entries); pass delays as a sparse matrix")
            entry_delays = np.ravel(np.asarray(delays, dtype=float))
            if entry_delays.size != csr.nnz:
                raise sg_error(f"from_matrix: {entry_delays.size} delays for {csr.nnz} stored entries")
        return FromSparseMatrix(rows, cols, csr.indptr, csr.indices, csr.data, entry_delays)
    matrix = np.asarray(weights, dtype=float)
    if delays is not None and np.ndim(delays) == 0:
        delays = np.full(matrix.shape, float(delays))
    return FromDenseMatrix(matrix, None if delays is None else np.ravel(np.asarray(delays, dtype=float)))


def sg_error(message):
    from ._core import InvalidParameterError
    return InvalidParameterError(message)
