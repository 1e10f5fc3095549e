"""Racing requests for the fault tests: each item's work runs in a thread of its own, and every
thread waits at one barrier right before the part that must race (after its own set-up, such as
connecting or loading a form), so the racing parts start at the same instant."""
import threading


def at_once(work, items, timeout=90):
    """Calls work(item, wait) for every item, each in its own thread; `wait()` is the barrier the
    work calls once it is ready to race. Returns each call's result, in the order of items."""
    barrier = threading.Barrier(len(items))
    results = [None] * len(items)

    def run(index, item):
        results[index] = work(item, barrier.wait)

    threads = [threading.Thread(target=run, args=(index, item)) for index, item in enumerate(items)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results
