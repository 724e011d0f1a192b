"""A liveness probe for load balancers and the load benchmark's baseline."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    # No database, cache or template: the answer says only that a worker can serve a request,
    # so a slow database does not take every app server out of the balancer at once.
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
