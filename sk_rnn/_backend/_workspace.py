"""Memory reused from one batch to the next.

Fresh memory costs a page fault per 4 KiB page on first touch. At the sizes of a
training batch that is as slow as the arithmetic done on it (``benchmarks/README.md``
counts about 75,000 faults per epoch on workload W2 without a workspace), so every
large array of a forward-backward pass is taken from a :class:`Workspace` that hands
out the same memory for the same purpose on every batch.
"""

import math

import numpy as np


class Workspace:
    """Named arrays reused across calls; one forward-backward pass at a time.

    An array from :meth:`empty` stays valid until the next request under the same
    name, so a workspace must not serve two passes at once: each thread and each
    layer gets its own (see :meth:`child`).

    Examples
    --------
    >>> ws = Workspace()
    >>> a = ws.empty("delta", (2, 3), np.float64)
    >>> b = ws.empty("delta", (3, 2), np.float64)
    >>> np.shares_memory(a, b)
    True
    """

    def __init__(self):
        self._arrays = {}
        self._children = {}

    def empty(self, name, shape, dtype):
        """An uninitialised array of ``shape``, reusing the memory of ``name``."""
        size = math.prod(shape)
        buffer = self._arrays.get(name)
        if buffer is None or buffer.dtype != dtype or buffer.size < size:
            buffer = self._arrays[name] = np.empty(size, dtype=dtype)
        return buffer[:size].reshape(shape)

    def zeros(self, name, shape, dtype):
        """Like :meth:`empty`, filled with zeros."""
        array = self.empty(name, shape, dtype)
        array.fill(0)
        return array

    def nbytes(self):
        """Bytes held by this workspace and its children."""
        own = sum(array.nbytes for array in self._arrays.values())
        return own + sum(child.nbytes() for child in self._children.values())

    def child(self, key):
        """The workspace of a part (a layer, a direction), created on first use."""
        if key not in self._children:
            self._children[key] = Workspace()
        return self._children[key]


def workspace_or_new(workspace):
    """``workspace``, or a throwaway one whose arrays are simply fresh."""
    return Workspace() if workspace is None else workspace
