"""/healthz: a plain answer from the web process, for load balancers and uptime checks. It touches
neither the database nor Redis, so it says "this process serves requests", and it is the bare
Django view the load benchmark compares the watch page with."""
from django.http import HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    return HttpResponse("ok\n", content_type="text/plain")
