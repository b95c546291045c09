"""One BLAS thread: the engine's matrices are small, and extra threads only spin.

The engine's products are a few thousand numbers (``np.exp(lik) @ post0`` in the
interview, the triage's warning-sign variations). OpenBLAS splits them across its
threads anyway, and those threads then busy-wait for the next call: a server
answering one person used about four times the CPU it needed (issue 12).

``limit_blas_threads`` is called by the entry points (the ``legpain`` command, and so
``legpain serve`` and its workers). A thread count the user set in the environment
is kept. OpenBLAS reads its variable when numpy is first imported; if numpy is
already loaded the count is also set at run time, through the library's own
function (what threadpoolctl does), found among the process's loaded libraries.
"""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path

THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
# OpenBLAS's setter under the names numpy's and SciPy's builds give it.
_SETTERS = (
    "openblas_set_num_threads64_",
    "openblas_set_num_threads",
    "scipy_openblas_set_num_threads64_",
    "scipy_openblas_set_num_threads",
    "MKL_Set_Num_Threads",
)


def _loaded_blas_libraries() -> list[str]:
    maps = Path("/proc/self/maps")  # Linux; elsewhere only the environment is set
    try:
        lines = maps.read_text().splitlines()
    except OSError:
        return []
    paths = {line.split(maxsplit=5)[-1] for line in lines if line.count(" ") >= 5}
    return sorted(
        p for p in paths if ("openblas" in p.lower() or "mkl_rt" in p.lower()) and ".so" in p
    )


def limit_blas_threads(threads: int = 1) -> int:
    """Set the BLAS thread count (default 1) unless the environment already gives one;
    return the count in force (for this process and the processes it starts)."""
    for var in THREAD_VARIABLES:
        os.environ.setdefault(var, str(threads))
    try:
        wanted = int(os.environ["OPENBLAS_NUM_THREADS"])
    except ValueError:
        wanted = threads
    if "numpy" in sys.modules:
        for path in _loaded_blas_libraries():
            try:
                lib = ctypes.CDLL(path)
            except OSError:
                continue
            for name in _SETTERS:
                setter = getattr(lib, name, None)
                if setter is not None:
                    setter(wanted)
                    break
    return wanted
