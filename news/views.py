from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from associations.models import OrgUnit, OrgUnitKind


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    top_units = OrgUnit.objects.active().filter(depth__lte=2).exclude(kind=OrgUnitKind.BRANCH)
    return render(request, "news/home.html", {"units": top_units})
