from django.shortcuts import render
from django.views.decorators.http import require_GET

from practice.accounts.roles import mentor_required


@mentor_required
@require_GET
def queue(request):
    return render(request, "reviews/queue.html", {})
