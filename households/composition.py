"""Who the households in file are, counted per union and kept: the composition the
statistics page shows (causes, categories, ages, health, schooling, work, tags …).

Counting the files of a province takes about a second (twenty figures over every file and
member in scope), so the counts are kept per union (RegistryCounts) with the value of the
union's change counter they were taken at (RegistryChange, bumped by database triggers on
every write of a file, a member, a cause or a tag: migrations households.0019 and 0024). A
page sums the unions in scope and counts again only the unions whose files changed since, or
all of them on a new day (ages move with the date; daily_maintenance counts them after
midnight). A union is kept in PARTS parts too (a file's part is its id modulo PARTS, each with
its own counter and counts): a changed union is counted again only in its changed parts, a
sixteenth of it for one file (a union of 1,914 files at 100,000: 172 ms in full, 56 ms after
one file changed; the rest is the fixed cost of five queries of a hundred aggregates).

Counts are a flat mapping of "figure:value" to a number, so the unions' counts add up:
every household belongs to one union, so even "families with …" figures sum exactly."""

import datetime
from collections import Counter, defaultdict

from django.db.models import Count, F, IntegerField, Q
from django.db.models.functions import Mod, Substr

from hardship.access import Role, registry_unit_ids, roles_of
from households.access import households_visible_to
from households.assessment import WORKER_OUT_OF_WORK, working_age_births, zero_employment
from households.models import (
    PARTS,
    Gender,
    HardshipCause,
    Health,
    Household,
    Member,
    RegistryChange,
    RegistryCounts,
    RegistryPartChange,
    RegistryPartCounts,
)

Stage = Member.SchoolStage
IN_SCHOOL = [value for value in Stage.values if value != Stage.NONE]
COMPULSORY = [Stage.PRIMARY, Stage.MIDDLE]  # 义务教育
# The health states a file records beyond "healthy", worst first.
ILL_HEALTH = [Health.SERIOUS, Health.CHRONIC, Health.DISABLED]
# Age bands of the worker for the table by sex: the texts' under 35 and over 50, with the
# 40s and 50s apart so the "4050" group can be read off. (lowest age, highest age or None)
AGE_BANDS = ((0, 34), (35, 39), (40, 49), (50, 59), (60, None))
# The household fields counted by value (each chart lists every choice).
FIELDS = ("main_cause", "category", "level", "employment_status", "gender", "housing")
IN_FILE = Household.Status.IN_FILE
BATCH = 1000  # kept rows written per statement


def part_of(file_field: str):
    """The part (0 … PARTS - 1) of the file a row names: its id modulo PARTS."""
    return Mod(F(file_field), PARTS, output_field=IntegerField())


def key(*parts) -> str:
    """A figure's name in the counts: "housing:owned", "age_sex:F:2"."""
    return ":".join(str(part) for part in parts)


def turned(on: datetime.date, years: int) -> str:
    """The birth date, as the ID number writes it (digits 7–14), of someone turning `years`
    on `on`: older when born on or before it. Compared as text, as the ID number's digits
    are, a leap day needs no date arithmetic."""
    return f"{on.year - years:04d}{on.month:02d}{on.day:02d}"


def _household_figures(on) -> list[tuple[str, Q]]:
    """(key, condition) of every per-file figure, counted in one pass over the files."""
    figures = [("files", Q())]
    for field in FIELDS:
        choices = Household._meta.get_field(field).choices
        figures += [(key(field, value), Q(**{field: value})) for value, _label in choices]
    titles = [value for value, _label in Household.ModelWorkerTitle.choices] + [""]
    figures += [
        (key("model_worker", title), Q(is_model_worker=True, model_worker_title=title))
        for title in titles
    ]
    # Age bands from the birth date in the ID number (digits 7–14, compared as text).
    turned_35, turned_51 = turned(on, 35), turned(on, 51)
    figures += [
        ("age:young", Q(born__gt=turned_35)),
        ("age:middle", Q(born__lte=turned_35, born__gt=turned_51)),
        ("age:old", Q(born__lte=turned_51)),
    ]
    # The bands by sex (AGE_BANDS), and of them those out of work.
    older_than = [turned(on, low) for low, _high in AGE_BANDS[1:]]
    for index in range(len(AGE_BANDS)):
        band = Q()
        if index < len(AGE_BANDS) - 1:
            band &= Q(born__gt=older_than[index])
        if index > 0:
            band &= Q(born__lte=older_than[index - 1])
        for sex in Gender.values:
            figures.append((key("age_sex", sex, index), band & Q(gender=sex)))
            figures.append(
                (
                    key("age_sex_out", sex, index),
                    band & Q(gender=sex, employment_status__in=WORKER_OUT_OF_WORK),
                )
            )
    # The files whose worker is in a health state; the files with a member in it are counted
    # with the members (_member_figures), and tally() adds the two less the files that are both.
    figures += [(key("health_w", state), Q(worker_health=state)) for state in ILL_HEALTH]
    return figures


def _member_figures(on) -> list[tuple[str, Count]]:
    """(key, aggregate) of every per-member figure, counted in one pass over the members."""
    figures = []
    stages = [(stage, [stage]) for stage in IN_SCHOOL]
    stages += [("any", IN_SCHOOL), ("compulsory", COMPULSORY)]
    for name, values in stages:
        at = Q(school_stage__in=values)
        # A family with two children at one stage is one household, two people.
        figures.append((key("school_h", name), Count("household", distinct=True, filter=at)))
        figures.append((key("school_p", name), Count("pk", filter=at)))
    for state in ILL_HEALTH:
        ill = Q(health=state)
        figures.append((key("health_m", state), Count("pk", filter=ill)))
        figures.append((key("health_mh", state), Count("household", distinct=True, filter=ill)))
        # Families where the worker too is in that state, counted twice otherwise.
        both = ill & Q(household__worker_health=state)
        figures.append((key("health_both", state), Count("household", distinct=True, filter=both)))
    after, until = working_age_births(on)
    working_age = Q(birth_date__gt=after, birth_date__lte=until)
    figures += [
        (key("at_work", value), Count("pk", filter=working_age & Q(employment=value)))
        for value in Member.Employment.values
    ]
    return figures


def _grouped(queryset, file_field, figures) -> dict[tuple[int, int], Counter]:
    """Each figure's aggregate per union and part, in one grouped query: `file_field` leads
    from a row to its file ("pk" for the files themselves)."""
    names = {f"f{i}": name for i, (name, _aggregate) in enumerate(figures)}
    aggregates = {f"f{i}": aggregate for i, (_name, aggregate) in enumerate(figures)}
    union = "union_id" if file_field == "pk" else f"{file_field}__union_id"
    rows = (
        queryset.values(group_union=F(union), group_part=part_of(file_field))
        .annotate(**aggregates)
        .order_by()
    )
    found = defaultdict(Counter)
    for row in rows:
        group = row.pop("group_union"), row.pop("group_part")
        found[group].update({names[alias]: n for alias, n in row.items() if n})
    return found


def tally_parts(households, on) -> dict[tuple[int, int], Counter]:
    """The composition of `households` (files in file) on `on`, per union and part: five
    queries whatever the number of files."""
    households = households.annotate(born=Substr("id_number", 7, 8))
    per_file = [(name, Count("pk", filter=condition)) for name, condition in _household_figures(on)]
    found = _grouped(households, "pk", per_file)
    zero = [("zero_employment", Count("pk"))]
    for group, counts in _grouped(zero_employment(households, on), "pk", zero).items():
        found[group].update(counts)
    members = Member.objects.filter(household__in=households.values("pk"))
    for group, counts in _grouped(members, "household", _member_figures(on)).items():
        found[group].update(counts)
    for counts in found.values():
        for state in ILL_HEALTH:
            # Files with the worker or a member in the state: each file once.
            health = key("health_w", state), key("health_mh", state), key("health_both", state)
            either = counts[health[0]] + counts.pop(health[1], 0) - counts.pop(health[2], 0)
            if either:
                counts[key("health_h", state)] = either
    in_scope = Q(household__in=households.values("pk"))
    for model, field, prefix in (
        (HardshipCause, "cause", "cause"),
        (Household.tags.through, "tag_id", "tag"),
    ):
        for union_id, part, value, n in (
            model.objects.filter(in_scope)
            .values_list("household__union_id", part_of("household_id"), field)
            .annotate(n=Count("pk"))
            .order_by()
        ):
            found[union_id, part][key(prefix, value)] += n
    return found


def tally(households, on) -> dict[int, Counter]:
    """The composition of `households` (files in file) on `on`, per union."""
    found = defaultdict(Counter)
    for (union_id, _part), counts in tally_parts(households, on).items():
        found[union_id].update(counts)
    return found


def counted(households, on) -> Counter:
    """The composition of `households` (files in file) on `on`, all unions together."""
    return sum(tally(households, on).values(), Counter())


def _kept(union_ids, on) -> tuple[dict, dict, list]:
    """The unions' kept rows, their change counters, and the unions whose kept counts are
    not current: the union's files changed since, or they were counted on another day."""
    changes = dict(
        RegistryChange.objects.filter(union_id__in=union_ids).values_list("union_id", "changes")
    )
    kept = {row.union_id: row for row in RegistryCounts.objects.filter(union_id__in=union_ids)}
    stale = [
        union_id
        for union_id in union_ids
        if (row := kept.get(union_id)) is None
        or row.counted_on != on
        or row.changes != changes.get(union_id, 0)
    ]
    return kept, changes, stale


def in_file(union_ids, on, field: str = "", value: str = "") -> int:
    """How many files in file the unions hold (of `field` = `value`, one of FIELDS, when
    given): read off the kept counts where they are current, counted for the other unions
    (without keeping: a list page should not pay for the whole composition). The same
    number as a count of the files, at a cost that does not grow with them."""
    kept, _changes, stale = _kept(union_ids, on)
    figure = key(field, value) if field else "files"
    stale_ids = set(stale)
    total = sum(row.counts.get(figure, 0) for u, row in kept.items() if u not in stale_ids)
    if stale:
        live = Household.objects.filter(status=IN_FILE, union_id__in=stale)
        total += (live.filter(**{field: value}) if field else live).count()
    return total


def counts_of_unions(union_ids, on) -> dict[int, Counter]:
    """The kept counts of each union, counted again (and kept) where they are not current:
    the sum of its parts', of which only those whose files changed are counted again."""
    kept, changes, stale = _kept(union_ids, on)
    if stale:
        parts = _current_parts(stale, on)
        rows = []
        for union_id in stale:
            counts = Counter()
            for part in range(PARTS):
                counts.update(parts[union_id, part])
            # The counters were read before the parts' and the files: a write committed in
            # between is counted and leaves the counter ahead, so it is summed again next time.
            rows.append(
                RegistryCounts(
                    union_id=union_id,
                    counted_on=on,
                    changes=changes.get(union_id, 0),
                    counts=dict(counts),
                )
            )
        RegistryCounts.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["union"],
            update_fields=["counted_on", "changes", "counts"],
            batch_size=BATCH,
        )
        kept.update((row.union_id, row) for row in rows)
    return {union_id: Counter(kept[union_id].counts) for union_id in union_ids}


def _current_parts(union_ids, on) -> dict[tuple[int, int], dict]:
    """The counts of every part of the unions: kept where current, else counted again and
    kept."""
    changes = {
        (union_id, part): n
        for union_id, part, n in RegistryPartChange.objects.filter(
            union_id__in=union_ids
        ).values_list("union_id", "part", "changes")
    }
    current = {
        (row.union_id, row.part): row.counts
        for row in RegistryPartCounts.objects.filter(union_id__in=union_ids, counted_on=on)
        if row.changes == changes.get((row.union_id, row.part), 0)
    }
    stale = defaultdict(list)
    for union_id in union_ids:
        for part in range(PARTS):
            if (union_id, part) not in current:
                stale[union_id].append(part)
    if not stale:
        return current
    whole = [union_id for union_id, parts in stale.items() if len(parts) == PARTS]
    which = Q(union_id__in=whole)
    for union_id, parts in stale.items():
        if len(parts) < PARTS:
            which |= Q(union_id=union_id, part__in=parts)
    files = Household.objects.filter(status=IN_FILE).alias(part=part_of("pk")).filter(which)
    fresh = tally_parts(files, on)
    rows = [
        RegistryPartCounts(
            union_id=union_id,
            part=part,
            counted_on=on,
            changes=changes.get((union_id, part), 0),
            counts=dict(fresh.get((union_id, part), {})),
        )
        for union_id, parts in stale.items()
        for part in parts
    ]
    RegistryPartCounts.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["union", "part"],
        update_fields=["counted_on", "changes", "counts"],
        batch_size=BATCH,
    )
    current.update(((row.union_id, row.part), row.counts) for row in rows)
    return current


def seen_by(user, on) -> Counter:
    """The composition of the files in file the user sees, on `on`."""
    union_ids = registry_unit_ids(user)
    total = sum(counts_of_unions(union_ids, on).values(), Counter())
    if Role.WORKER in roles_of(user):
        # A worker's own file is theirs to see wherever it is filed: counted as it stands.
        own = households_visible_to(user).filter(status=IN_FILE).exclude(union_id__in=union_ids)
        total.update(counted(own, on))
    return total


def recount_differences(on) -> list[tuple[int, int | None, str, int, int]]:
    """(union, part or None for the whole union, figure, counted now, kept) for every kept
    count that claims to be current and is not: a write that did not move the change counter
    (a missing trigger)."""
    changes = dict(RegistryChange.objects.values_list("union_id", "changes"))
    part_changes = {
        (union_id, part): n
        for union_id, part, n in RegistryPartChange.objects.values_list(
            "union_id", "part", "changes"
        )
    }
    current = {
        (row.union_id, None): row.counts
        for row in RegistryCounts.objects.filter(counted_on=on)
        if row.changes == changes.get(row.union_id, 0)
    }
    current.update(
        ((row.union_id, row.part), row.counts)
        for row in RegistryPartCounts.objects.filter(counted_on=on)
        if row.changes == part_changes.get((row.union_id, row.part), 0)
    )
    unions = {union_id for union_id, _part in current}
    now = tally_parts(Household.objects.filter(status=IN_FILE, union_id__in=unions), on)
    for (union_id, _part), counts in list(now.items()):
        now.setdefault((union_id, None), Counter()).update(counts)
    differences = []

    def in_order(item):
        (union_id, part), _kept = item
        return union_id, -1 if part is None else part

    for (union_id, part), kept in sorted(current.items(), key=in_order):
        counted = now.get((union_id, part), Counter())
        for figure in sorted(set(kept) | set(counted)):
            if kept.get(figure, 0) != counted.get(figure, 0):
                differences.append(
                    (union_id, part, figure, counted.get(figure, 0), kept.get(figure, 0))
                )
    return differences
