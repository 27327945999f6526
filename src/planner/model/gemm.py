"""Float32 matrix products kept on the calling thread (the simulation's hot products)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

F32 = npt.NDArray[np.float32]
# multiply-adds per BLAS call: below OpenBLAS's default threading threshold
# (65536 x GEMM_MULTITHREAD_THRESHOLD 4), so every call runs on this thread
_GEMM_CHUNK = 1 << 18


def small_gemms(a: F32, b: F32) -> F32:
    """a @ b (float32), as one small matrix product per block of columns of b.

    A single 72 x 108 @ 108 x 10,000 product is big enough for BLAS to split
    over threads; on a two-core machine whose other core is busy, one thread
    then waits for the other to be scheduled and the product takes ~10x
    longer. Blocks of at most 2**18 multiply-adds stay on the calling thread
    (OpenBLAS's default threshold; other BLAS libraries start threads later,
    if at all), which is almost as fast when idle and much faster when busy.
    numpy's stacked matmul makes one BLAS call per block without copying: the
    blocks are strided views of b and of the output.
    """
    rows, inner = a.shape
    cols = b.shape[1]
    out = np.empty((rows, cols), dtype=np.float32)
    block = max(8, _GEMM_CHUNK // max(rows * inner, 1) // 8 * 8)
    full = cols - cols % block
    if full:
        n = full // block
        stacked_b = b[:, :full].reshape(inner, n, block).transpose(1, 0, 2)
        stacked_out = out[:, :full].reshape(rows, n, block).transpose(1, 0, 2)
        np.matmul(a, stacked_b, out=stacked_out)
    if full < cols:
        np.matmul(a, b[:, full:], out=out[:, full:])
    return out
