"""The Content-Security-Policy middleware: django-csp's, with one exception. django-rq's queue
pages in the admin (staff only) carry inline scripts of their own; they get 'unsafe-inline' for
scripts so their buttons work, while every page users see keeps the strict policy."""
from csp.middleware import CSPMiddleware

RELAXED_PREFIXES = ("/admin/django_rq/",)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        if request.path.startswith(RELAXED_PREFIXES):
            response._csp_update = {"script-src": ["'unsafe-inline'"]}
        return super().process_response(request, response)
