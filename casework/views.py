from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from casework import selectors
from hardship.pagination import paginate

PAGE_SIZE = 25


@login_required
def inbox(request):
    return render(
        request,
        "casework/inbox.html",
        {
            **paginate(request, selectors.inbox(request.user), PAGE_SIZE),
            "objections": selectors.objections_to_resolve(request.user),
            "plans": selectors.plans_to_decide(request.user),
        },
    )
