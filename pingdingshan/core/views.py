from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from cadres.models import Cadre, CadreStatus, Unit


@login_required
def home(request):
    """The landing page: what the user can reach, with counts for their scope."""
    cadres = Cadre.objects.restrict(request.user)
    context = {
        "cadre_count": cadres.filter(status=CadreStatus.ACTIVE).count(),
        "unit_count": Unit.objects.restrict(request.user).count(),
    }
    return render(request, "home.html", context)


def health(request):
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
