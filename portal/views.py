from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.health import run_checks


@never_cache
@require_GET
def healthz(request):
    results = run_checks()
    failing = [r.name for r in results if not r.ok]
    body = {
        "status": "ok" if not failing else "failing",
        "failing": failing,
        "checks": {r.name: {"ok": r.ok, "detail": r.detail} for r in results},
    }
    return JsonResponse(body, status=503 if failing else 200)
