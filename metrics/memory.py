"""Give freed memory back to the operating system after a large file has been parsed.

Two allocators keep freed memory for reuse: pyarrow's pool (mimalloc / jemalloc) and glibc's heap (numpy
arrays of a few MB live there). At a million deals each keeps a few hundred MB after a file is parsed,
which the next file's parse then adds to; returning it between files lowers the peak of a whole import.
"""
from __future__ import annotations

import ctypes
import ctypes.util

import pyarrow as pa

_libc = None


def release_memory(trim: bool = True) -> None:
    """Return the free memory of pyarrow's pool and (``trim``) of glibc's heap (``malloc_trim``; a no-op
    elsewhere; it walks the heap, so not for tight loops)."""
    global _libc
    pa.default_memory_pool().release_unused()
    if not trim:
        return
    if _libc is None:
        try:
            lib = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            _libc = lib if hasattr(lib, "malloc_trim") else False
        except OSError:
            _libc = False
    if _libc:
        _libc.malloc_trim(0)
