"""Run one risky parse in a worker process under a time and memory budget.

``run(fn, *args, name=…, seconds=…, memory=…)`` calls ``fn(*args)`` in a child process forked from this
one (``fork``: ~10–30 ms, the uploaded bytes are shared copy-on-write, not copied; the child runs only
the parse — no Streamlit code, no locks of other threads are taken by it; pyarrow and glibc re-arm
their pools at fork), whose address space may grow by at most ``memory`` bytes beyond what it inherited
(``resource.setrlimit(RLIMIT_AS)``; CPU time is capped with ``RLIMIT_CPU`` too); the parent waits at
most ``seconds`` and then kills it. The result comes back pickled (keep it compact: a workbook's sheets
come back as one Arrow IPC stream of typed columns each, :class:`metrics.importers.workbook.Packed`, not as
an object frame — pickling, piping and unpickling 1.4M Python cells cost more than the parse itself),
with pickle protocol 5: large buffers (an arrow ``Buffer``, a numpy array) travel out of band — each one
``Connection.send_bytes`` of the buffer itself, no copy in the child, one ``bytes`` in the parent that
the unpickled object wraps without a copy (:func:`send_result`, :func:`receive_result`).
(A ``forkserver`` would be cleaner but re-imports the main script in every worker: the Streamlit
launcher, a pytest run, ``python -``.) A :class:`~metrics.errors.DataError` raised in the child is
raised again here; running out of memory becomes ``parse_memory``, running out of time ``parse_timeout``
— the server process and the other sessions never pay for a hostile file.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import threading
import traceback
from typing import Any, Callable

from .errors import DataError
from .limits import size_text

_lock = threading.Lock()
_ctx = None


def _context():
    global _ctx
    with _lock:
        if _ctx is None:
            _ctx = mp.get_context("fork")
        return _ctx


def _address_space() -> int:
    """This process's current virtual size in bytes (0 if unknown)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def send_result(conn, result: tuple) -> None:
    """``result`` down the pipe: the count of out-of-band buffers, the protocol-5 pickle, then each buffer
    as it is (the pickle is made first, so that a failure sends nothing)."""
    bufs: list[pickle.PickleBuffer] = []
    head = pickle.dumps(result, protocol=5, buffer_callback=bufs.append)
    conn.send(len(bufs))
    conn.send_bytes(head)
    del head
    for b in bufs:
        conn.send_bytes(b.raw())
        b.release()


def receive_result(conn) -> tuple:
    """What :func:`send_result` sent: the buffers are received as ``bytes`` and unpickled in place."""
    n = conn.recv()
    head = conn.recv_bytes()
    bufs = [conn.recv_bytes() for _ in range(n)]
    return pickle.loads(head, buffers=bufs)


def _child(conn, fn: Callable, args: tuple, memory: int, seconds: float) -> None:
    import resource

    from .importers import values
    values.pool.cache_clear()  # the parent's worker threads do not exist here: a fresh pool if one is needed
    try:
        if memory:
            cap = _address_space() + memory
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        if seconds:
            cpu = int(seconds) + 5
            resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    except (ValueError, OSError):  # a platform without these limits: the parent's timeout still holds
        pass
    try:
        result: tuple = ("ok", fn(*args))
    except DataError as exc:
        result = ("data_error", exc.code, exc.params)
    except MemoryError:
        result = ("memory",)
    except Exception as exc:  # noqa: BLE001 - reported to the parent as one line
        result = ("error", f"{type(exc).__name__}: {exc}"[:200], traceback.format_exc()[-2000:])
    try:
        send_result(conn, result)
    except MemoryError:
        del result
        send_result(conn, ("memory",))
    except Exception as exc:  # noqa: BLE001 - e.g. the result cannot be pickled within the memory cap
        send_result(conn, ("error", f"{type(exc).__name__}: {exc}"[:200], ""))
    finally:
        conn.close()


def run(fn: Callable[..., Any], *args: Any, name: str, seconds: float, memory: int) -> Any:
    """``fn(*args)`` in a budgeted worker (see the module doc). ``fn`` must be a module-level function;
    ``args`` and the result must pickle. Raises DataError (``parse_timeout``, ``parse_memory``, or the
    child's own)."""
    if os.environ.get("SALESLENS_SANDBOX", "1") == "0":  # in-process, e.g. for a debugger
        return fn(*args)
    ctx = _context()
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args, memory, seconds), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(seconds):
            raise DataError("parse_timeout", file=name, value=round(seconds), detail=f"{seconds:g} s")
        try:
            result = receive_result(parent)
        except (EOFError, OSError):  # killed (the memory cap makes allocations fail; a signal is rarer)
            raise DataError("parse_memory", file=name, value=memory, detail=size_text(memory)) from None
    finally:
        parent.close()
        if proc.is_alive():
            proc.kill()
        proc.join(5)
    kind = result[0]
    if kind == "ok":
        return result[1]
    if kind == "data_error":
        raise DataError(result[1], **result[2])
    if kind == "memory":
        raise DataError("parse_memory", file=name, value=memory, detail=size_text(memory))
    raise DataError("unreadable", file=name, detail=result[1])
