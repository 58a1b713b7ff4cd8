"""Read the next chunk while SQLite writes this one: the iterator runs in a
thread, one item ahead (pyarrow and sqlite3 both release the GIL in C, so
the two cores share the work); its exception is raised where it is consumed."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")
_DONE = object()


def ahead(items: Iterator[T]) -> Iterator[T]:
    q: queue.Queue[object] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                q.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def run() -> None:
        try:
            for item in items:
                if not put(item):
                    return
            put(_DONE)
        except BaseException as exc:  # noqa: BLE001  handed to the consumer, who raises it
            put(exc)

    worker = threading.Thread(target=run, name="import-reader", daemon=True)
    worker.start()
    try:
        while True:
            item = q.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]  # put only items of the iterator, _DONE or an exception
    finally:
        stop.set()
        worker.join()
