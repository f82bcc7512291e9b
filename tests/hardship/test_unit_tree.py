"""The organisation tree keeps each unit's path, so that a role covers exactly its subtree."""

import pytest
from django.core.exceptions import ValidationError
from factories import HouseholdFactory, MembershipFactory, UnitFactory

from hardship import access
from hardship.models import Role, Unit
from households.access import households_visible_to


def fresh(unit: Unit) -> Unit:
    return Unit.objects.get(pk=unit.pk)


def test_the_path_is_the_chain_of_ids_from_the_root(org):
    assert fresh(org.fed).path == f"/{org.fed.pk}/"
    assert fresh(org.c1).path == f"/{org.fed.pk}/{org.c1.pk}/"
    assert fresh(org.g1a).path == f"/{org.fed.pk}/{org.c1.pk}/{org.g1a.pk}/"


def test_a_units_ancestors_are_read_from_its_path_root_first(org):
    path = fresh(org.g1a).path
    assert access.ancestor_ids(path) == [org.fed.pk, org.c1.pk, org.g1a.pk]
    assert access.ancestor_paths(path) == [fresh(u).path for u in (org.fed, org.c1, org.g1a)]


def test_a_role_at_a_unit_covers_the_unit_and_everything_below_it_only(org, reviewer_c1):
    assert set(access.units_visible_to(reviewer_c1)) == {org.c1, org.g1a, org.g1b}


def test_moving_a_unit_updates_the_paths_of_all_its_descendants(org):
    team = UnitFactory.grassroots(parent=org.g1a, code="G1a-1")
    fed2 = UnitFactory.federation(code="FED2")

    c1 = fresh(org.c1)
    c1.parent = fed2
    c1.save()

    assert fresh(org.c1).path == f"/{fed2.pk}/{org.c1.pk}/"
    assert fresh(org.g1a).path == f"/{fed2.pk}/{org.c1.pk}/{org.g1a.pk}/"
    assert fresh(org.g1b).path == f"/{fed2.pk}/{org.c1.pk}/{org.g1b.pk}/"
    assert fresh(team).path == f"/{fed2.pk}/{org.c1.pk}/{org.g1a.pk}/{team.pk}/"
    # Units outside the moved subtree are untouched.
    assert fresh(org.c2).path == f"/{org.fed.pk}/{org.c2.pk}/"
    assert fresh(org.g2a).path == f"/{org.fed.pk}/{org.c2.pk}/{org.g2a.pk}/"


def test_after_a_move_scope_follows_the_new_tree(org, reviewer_c1, caseworker_g2a):
    household = HouseholdFactory(union=org.g1b)
    g1b = fresh(org.g1b)
    g1b.parent = fresh(org.c2)
    g1b.save()

    assert household not in households_visible_to(reviewer_c1)
    assert household not in households_visible_to(caseworker_g2a)  # G2a is a sibling
    reviewer_c2 = MembershipFactory(unit=org.c2, role=Role.COMPANY_REVIEWER).user
    assert household in households_visible_to(reviewer_c2)


def test_a_unit_cannot_be_placed_below_itself(org):
    c1 = fresh(org.c1)
    c1.parent = fresh(org.g1a)
    with pytest.raises(ValidationError) as info:
        c1.full_clean()
    assert "parent" in info.value.message_dict
