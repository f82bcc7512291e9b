"""Test data: an organisation tree, people with roles, and household files that pass the
same validation as real ones (ID numbers with a correct GB 11643 check character)."""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from hardship.idnumber import birth_date_of, check_character, gender_of
from hardship.models import Membership, PolicyParameter, Role, Unit, User
from households.models import Cause, HardshipCause, Household, IncomeItem, Member

# 哈尔滨市南岗区: a real administrative division code, so the region check passes.
REGION = "230103"


def make_id_number(
    birth: datetime.date = datetime.date(1975, 3, 14),
    *,
    seq: int = 1,
    sex: str = "M",
    region: str = REGION,
) -> str:
    """A valid 18-character ID number. The 17th digit is odd for men and even for women."""
    order = (seq % 500) * 2 + (1 if sex == "M" else 0)
    first17 = f"{region}{birth:%Y%m%d}{order:03d}"
    return first17 + check_character(first17)


def _worker_birth(n: int) -> datetime.date:
    # Distinct birth dates keep every generated ID number distinct.
    return datetime.date(1965, 1, 1) + datetime.timedelta(days=n)


def _member_birth(n: int) -> datetime.date:
    # Within three years, so a process that makes thousands of members still makes adults.
    # 1,001 days against the ID number's 500 serials: no two members share a number before
    # the 500,500th.
    return datetime.date(2004, 1, 1) + datetime.timedelta(days=n % 1001)


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"U{n:03d}")
    name = factory.Sequence(lambda n: f"第{n}基层工会")
    kind = Unit.Kind.GRASSROOTS
    parent = None

    @classmethod
    def federation(cls, **kwargs) -> Unit:
        kwargs.setdefault("name", "区总工会")
        return cls(kind=Unit.Kind.FEDERATION, **kwargs)

    @classmethod
    def company(cls, parent: Unit | None = None, **kwargs) -> Unit:
        return cls(kind=Unit.Kind.COMPANY, parent=parent, **kwargs)

    @classmethod
    def grassroots(cls, parent: Unit, **kwargs) -> Unit:
        return cls(kind=Unit.Kind.GRASSROOTS, parent=parent, **kwargs)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.django.Password("correct horse battery")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Role.CASEWORKER


class HouseholdFactory(DjangoModelFactory):
    class Meta:
        model = Household

    class Params:
        sex = "M"
        in_file = factory.Trait(
            status=Household.Status.IN_FILE, established_on=datetime.date(2024, 3, 1)
        )
        exited = factory.Trait(
            status=Household.Status.EXITED,
            established_on=datetime.date(2023, 3, 1),
            exited_on=datetime.date(2024, 12, 31),
        )
        cancelled = factory.Trait(
            status=Household.Status.CANCELLED,
            established_on=datetime.date(2023, 3, 1),
            cancelled_on=datetime.date(2024, 12, 31),
        )

    file_number = factory.Sequence(lambda n: f"T-{n:05d}")
    union = factory.SubFactory(UnitFactory)
    worker_name = factory.Sequence(lambda n: f"职工{n}")
    id_number = factory.LazyAttributeSequence(
        lambda o, n: make_id_number(_worker_birth(n), seq=n, sex=o.sex)
    )
    gender = factory.LazyAttribute(lambda o: gender_of(o.id_number))
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    address = "哈尔滨市南岗区学府路1号"
    employer = "哈尔滨石化公司"
    employment_status = Household.EmploymentStatus.RETIRED
    category = Household.Category.NEAR_DIBAO
    level = Household.Level.HARDSHIP
    status = Household.Status.DRAFT
    housing = Household.Housing.OWN


class MemberFactory(DjangoModelFactory):
    class Meta:
        model = Member

    household = factory.SubFactory(HouseholdFactory)
    name = factory.Sequence(lambda n: f"成员{n}")
    relation = Member.Relation.CHILD
    id_number = factory.LazyAttributeSequence(
        lambda o, n: make_id_number(_member_birth(n), seq=n, sex="F")
    )
    birth_date = factory.LazyAttribute(
        lambda o: birth_date_of(o.id_number) if o.id_number else datetime.date(2015, 6, 1)
    )
    health = Member.Health.HEALTHY
    employment = Member.Employment.STUDENT
    monthly_income = Decimal("0")


class IncomeItemFactory(DjangoModelFactory):
    class Meta:
        model = IncomeItem

    household = factory.SubFactory(HouseholdFactory)
    source = IncomeItem.Source.PENSION
    monthly_amount = Decimal("1000.00")


class HardshipCauseFactory(DjangoModelFactory):
    class Meta:
        model = HardshipCause

    household = factory.SubFactory(HouseholdFactory)
    cause = Cause.ILLNESS


class PolicyParameterFactory(DjangoModelFactory):
    class Meta:
        model = PolicyParameter

    key = PolicyParameter.Key.HARDSHIP_THRESHOLD
    value = Decimal("280.00")
    unit = None
    valid_from = datetime.date(2000, 1, 1)
    valid_to = None


def person(username, full_name, *roles):
    """A user with one membership per (role, unit) pair; no pair: signed in, no role anywhere."""
    user = UserFactory(username=username, full_name=full_name)
    for role, unit in roles:
        MembershipFactory(user=user, unit=unit, role=role)
    return user
