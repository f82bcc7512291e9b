"""Change history (django-simple-history) read and written one way.

Writing: `acted_by(actor, obj, …)` before a save names the acting user (and, if given, the
reason) on the history row that save writes. The request middleware names the signed-in
user for web requests; services call acted_by anyway, so commands, tasks and tests record
the same person.

Reading: `field_changes` renders one history record against the version before it, field by
field, for both a household's own history and the auditors' trail, with the one list of
fields whose values only identity readers see (SENSITIVE_FIELDS)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from hardship.display import field_value

# Kept in step by the system, not edited by anyone: never read as a change (a file's
# filing_approval_begun follows its filing application through the chain, households.cards).
UNSHOWN_FIELDS = frozenset({"filing_approval_begun"})

# Shown only to roles that may see identity and health details (see access.IDENTITY_READERS);
# the audit trail masks them for everyone.
SENSITIVE_FIELDS = frozenset(
    {
        "id_number",
        "phone",
        "contact_phone",
        "bank_account",
        "health",
        "disability_grade",
        "worker_health",
        "worker_disability_grade",
        "worker_illness",
        "worker_medical_costs",
        "guarantor_id_number",
        "guarantor_phone",
        "password",
    }
)
ACTIONS = {"+": _("新建"), "~": _("修改"), "-": _("删除")}


def acted_by(actor, *instances, reason: str = ""):
    """Record `actor` (and `reason`) on the history row of each instance's next save;
    returns the first instance, so it can wrap a constructor."""
    for instance in instances:
        instance._history_user = actor
        if reason:
            instance._change_reason = reason
    return instances[0] if instances else None


@dataclass
class FieldChange:
    field: str  # the field's label
    old: str
    new: str
    sensitive: bool


def field_changes(
    record,
    previous,
    *,
    excluded_fields=(),
    display: Callable | None = None,
) -> list[FieldChange]:
    """What changed between `previous` and `record` (two history rows of one object), each
    value as it reads on a page (hardship.display). Without `display`, related rows read by
    name (a union, a fund: one query each); with it, `display(field, value)` renders every
    value and related rows arrive as their ids."""
    model = record.instance_type
    # Many-to-many history (a file's tags) is kept in its own table: comparing it costs a
    # query per row, which lists of changes (the audit trail) must not pay.
    many = [f.name for f in model._meta.many_to_many]
    delta = record.diff_against(
        previous,
        excluded_fields=[*excluded_fields, *UNSHOWN_FIELDS, *many],
        foreign_keys_are_objs=display is None,
    )
    show = display or field_value
    rows = []
    for change in delta.changes:
        name = change.field.removesuffix("_id") if change.field.endswith("_id") else change.field
        field = model._meta.get_field(name)
        rows.append(
            FieldChange(
                str(field.verbose_name),
                show(field, change.old),
                show(field, change.new),
                sensitive=name in SENSITIVE_FIELDS,
            )
        )
    return rows
