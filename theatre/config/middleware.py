"""Middleware of the project's own that is not about one feature (CSP lives in csp.py)."""


class SyncChain:
    """Innermost and sync-only, so that under ASGI Django runs every middleware above it in one
    worker thread per request. Left async-capable, each of Django's MiddlewareMixin middlewares
    hops to a thread and back for process_request and again for process_response: about twenty
    hand-offs per page, which cost more CPU than a plain page itself (bench/load.py)."""

    sync_capable = True
    async_capable = False

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)
