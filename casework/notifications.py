"""In-app notifications (站内通知) and the daily e-mail digest of tasks.

A duty assigned to someone tells them at once; the daily run tells them once when it falls
overdue; the digest sends each person their tasks due within a week or overdue."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import Duty, Notification
from hardship.models import User
from households.models import Household

# The navigation counts, the digest and the "due soon" tab look this many days ahead.
SOON_DAYS = 7


def open_duties():
    """Open duties of households still in file: those that left it (脱困, 注销) keep their
    open duties on record, closed by nothing, but they are nobody's task any more."""
    return Duty.objects.filter(done_on__isnull=True, household__status=Household.Status.IN_FILE)


def pressing(today: datetime.date):
    """Open duties due within SOON_DAYS or overdue."""
    return open_duties().filter(due_on__lte=today + datetime.timedelta(days=SOON_DAYS))


def _describe(duty: Duty) -> str:
    """The file number, not the name: the text also goes out by e-mail."""
    return _("%(kind)s：档案 %(file)s，%(reason)s，期限 %(due)s") % {
        "kind": duty.get_kind_display(),
        "file": duty.household.file_number,
        "reason": duty.reason,
        "due": duty.due_on,
    }


def notify_assigned(duty: Duty) -> None:
    """Tell the assignee of a new duty. Keeping in touch is the standing rhythm of every
    file, not news: it tells only when it falls overdue."""
    if duty.assignee_id is None or duty.kind == Duty.Kind.CONTACT:
        return
    Notification.objects.create(
        user_id=duty.assignee_id,
        kind=Notification.Kind.ASSIGNED,
        text=_("新任务 · %(d)s") % {"d": _describe(duty)},
        link=reverse("task_list"),
        duty=duty,
    )


def notify_overdue(today: datetime.date) -> int:
    """Tell each assignee, once per duty, that it is overdue."""
    told = Notification.objects.filter(
        duty=OuterRef("pk"), user=OuterRef("assignee"), kind=Notification.Kind.OVERDUE
    )
    duties = (
        open_duties()
        .filter(due_on__lt=today, assignee__isnull=False)
        .exclude(Exists(told))
        .select_related("household")
    )
    rows = [
        Notification(
            user_id=duty.assignee_id,
            kind=Notification.Kind.OVERDUE,
            text=_("任务逾期 · %(d)s") % {"d": _describe(duty)},
            link=reverse("task_list") + "?tab=overdue",
            duty=duty,
        )
        for duty in duties
    ]
    try:
        with transaction.atomic():
            Notification.objects.bulk_create(rows)
    except IntegrityError:
        # Another run told them meanwhile: tell the rest one by one.
        rows = [row for row in rows if _create_once(row)]
    return len(rows)


def _create_once(row: Notification) -> bool:
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        return False
    return True


def notification_open(user, pk) -> Notification | None:
    """The user's own notification, marked read (None: not theirs, or none such)."""
    notification = Notification.objects.filter(user=user, pk=pk).first()
    if notification is not None and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_read_all(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def digest_text(user, duties: list[Duty], today: datetime.date) -> str:
    overdue = [d for d in duties if d.due_on < today]
    lines = [
        _("%(name)s，您好：") % {"name": user},
        "",
        _("您有 %(n)s 项帮扶任务在 %(days)s 天内到期或已逾期，其中已逾期 %(o)s 项：")
        % {"n": len(duties), "days": SOON_DAYS, "o": len(overdue)},
        "",
    ]
    for duty in duties:
        late = (today - duty.due_on).days
        mark = _("（已逾期 %(n)s 天）") % {"n": late} if late > 0 else ""
        lines.append(f"- {_describe(duty)}{mark}")
    lines += ["", _("待办任务：%(url)s") % {"url": settings.SITE_URL + reverse("task_list")}]
    return "\n".join(lines)


def send_digest(today: datetime.date) -> int:
    """One e-mail per person with pressing tasks (and an address); returns how many."""
    duties = (
        pressing(today)
        .filter(assignee__isnull=False)
        .select_related("household")
        .order_by("assignee", "due_on", "pk")
    )
    by_user: dict[int, list[Duty]] = {}
    for duty in duties:
        by_user.setdefault(duty.assignee_id, []).append(duty)
    sent = 0
    for user in User.objects.filter(pk__in=by_user, is_active=True).exclude(Q(email="")):
        send_mail(
            _("帮扶任务提醒（%(d)s）") % {"d": today},
            digest_text(user, by_user[user.pk], today),
            None,
            [user.email],
        )
        sent += 1
    return sent
