"""Match the free-text 帮扶责任人 names already on file to users: where the name equals the
full name of exactly one active caseworker or cadre of the household's union or a union
above it. The rule is households.responsible's, written out here against the historical
models; each match gets a history row like any other change."""

from django.conf import settings
from django.db import migrations
from django.utils import timezone

ROLES = ("caseworker", "grassroots_chair", "company_reviewer", "committee")
REASON = "帮扶责任人姓名匹配"


def _norm(name):
    return "".join((name or "").split())


def match(apps, schema_editor):
    Household = apps.get_model("households", "Household")
    Historical = apps.get_model("households", "HistoricalHousehold")
    Membership = apps.get_model("hardship", "Membership")
    rows = (
        Household.objects.filter(responsible_user__isnull=True)
        .exclude(responsible_person="")
        .select_related("union")
    )
    names_of = {}  # union id → normalised name → user ids
    now = timezone.now()
    for household in rows.iterator():
        if household.union_id not in names_of:
            ancestors = [int(p) for p in household.union.path.strip("/").split("/") if p]
            names = {}
            for user_id, full_name in (
                Membership.objects.filter(
                    role__in=ROLES, unit_id__in=ancestors, user__is_active=True
                )
                .values_list("user_id", "user__full_name")
                .distinct()
            ):
                if _norm(full_name):
                    names.setdefault(_norm(full_name), set()).add(user_id)
            names_of[household.union_id] = names
        users = names_of[household.union_id].get(_norm(household.responsible_person), set())
        if len(users) != 1:
            continue
        household.responsible_user_id = next(iter(users))
        Household.objects.filter(pk=household.pk).update(
            responsible_user_id=household.responsible_user_id
        )
        history = Historical(
            history_date=now, history_type="~", history_change_reason=REASON
        )
        for field in Household._meta.concrete_fields:
            setattr(history, field.attname, getattr(household, field.attname))
        history.save()


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0015_casework_duties_fields"),
        ("hardship", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(match, migrations.RunPython.noop)]
