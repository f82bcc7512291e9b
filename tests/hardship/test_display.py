"""How stored values read on the audit trail and a household's history."""

from simple_history.models import DeletedObject

from funds.models import DistributionPlan
from hardship.display import field_value
from hardship.models import User


def test_an_empty_link_reads_as_a_dash_not_a_deleted_row():
    field = DistributionPlan._meta.get_field("posted_by")
    assert field_value(field, DeletedObject(User, None)) == "—"


def test_a_removed_related_row_is_named_by_kind_and_id():
    field = DistributionPlan._meta.get_field("posted_by")
    assert field_value(field, DeletedObject(User, 7)) == "已删除的用户（id=7）"
