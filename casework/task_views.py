"""The caseworker's day: the task list (待办任务), my households (我的帮扶户) and the
notifications (站内通知)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import notifications, task_selectors
from casework.models import Duty, Notification
from hardship import access, worklist
from hardship.pagination import paginate

PAGE_SIZE = 50


@login_required
def task_list(request):
    if not access.can_create_households(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    tab = request.GET.get("tab")
    if tab not in task_selectors.TABS:
        tab = "mine"
    page = paginate(request, task_selectors.tasks(request.user, tab, today), PAGE_SIZE)
    for duty in page["page"]:
        duty.days_overdue = (today - duty.due_on).days if duty.done_on is None else 0
        duty.due_soon = duty.done_on is None and -task_selectors.SOON_DAYS <= duty.days_overdue
        duty.visit_kind = Duty.VISIT_KIND.get(duty.kind)
        duty.is_visit = duty.kind in Duty.VISIT_KIND
        duty.may_act = access.can_edit_household(request.user, duty.household)
    return render(
        request,
        "casework/tasks.html",
        {
            **page,
            "tab": tab,
            "counts": task_selectors.tab_counts(request.user, today),
            "plan_problems": task_selectors.plan_problems_for_tasks(request.user, today),
            # Other apps' work on the user (overdue loans, returned cards, follow-ups,
            # contacts to handle), through the core's hook: casework cannot import them.
            "other_work": worklist.items_for(request.user, today),
            "today": today,
        },
    )


@login_required
def my_households(request):
    if not access.can_create_households(request.user):
        raise PermissionDenied
    people = task_selectors.responsible_people(request.user)
    person = request.user
    if request.GET.get("person"):
        try:
            person = people.get(pk=request.GET["person"])
        except (ValueError, people.model.DoesNotExist):
            raise Http404 from None
    return render(
        request,
        "casework/my_households.html",
        {
            "households": task_selectors.my_households(request.user, person, timezone.localdate()),
            "person": person,
            "people": people if people.count() > 1 else None,
            "kinds": dict(Duty.Kind.choices),
        },
    )


@login_required
def notification_list(request):
    """The user's notifications; ?open=<id> marks one read and follows its link."""
    if request.GET.get("open"):
        try:
            opened = notifications.notification_open(request.user, int(request.GET["open"]))
        except ValueError:
            opened = None
        if opened is None:
            raise Http404
        if opened.link and url_has_allowed_host_and_scheme(opened.link, allowed_hosts=None):
            return redirect(opened.link)
        return redirect("notification_list")
    return render(
        request,
        "casework/notifications.html",
        paginate(request, Notification.objects.filter(user=request.user), PAGE_SIZE),
    )


@login_required
@require_POST
def notifications_read_all(request):
    count = notifications.notifications_read_all(request.user)
    messages.success(request, _("已将 %(n)s 条通知标为已读。") % {"n": count})
    return redirect("notification_list")
