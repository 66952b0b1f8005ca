"""The app's URLs and, for `make bench` only, the floor: a view without database or session."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from gwangyang_plan.urls import urlpatterns as app_urlpatterns


def floor(request: HttpRequest) -> HttpResponse:
    """What every request costs before a page does anything: the middleware, the URL
    resolver and a response; no query, no session."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/floor", floor, name="bench_floor"), *app_urlpatterns]
