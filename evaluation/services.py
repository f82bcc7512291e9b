"""Every write of the results (绩效评价): a unit's targets, the weights' rule, drawing a
survey's sample and recording an answer."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crosscheck.verification import MAX_SEED, draw
from evaluation import access
from evaluation.models import Indicator, Survey, SurveyItem, Target, weight_field
from funds.models import LedgerEntry
from hardship.history import acted_by
from households.involvement import involved_in_household

TARGET_FIELDS = ("planned_allocation", *(str(indicator) for indicator in Indicator))


def weights_check(weights: dict) -> None:
    """The weights of one sheet are whole points from 0 to 100 that sum to 100 (the database
    refuses any other sheet too)."""
    total = sum(weights.get(weight_field(indicator)) or 0 for indicator in Indicator)
    if total != 100:
        raise ValidationError(
            _("各项指标权重之和必须等于 100，现在是 %(total)d。") % {"total": total}
        )


def target_save(*, actor, unit, year: int, data: dict) -> Target:
    """Set (or change) the unit's targets for the year."""
    if not access.may_set_targets(actor, unit):
        raise PermissionDenied(_("绩效目标由该单位或上级单位的党政班子成员、公司工会复核设定。"))
    try:
        with transaction.atomic():
            target = Target.objects.select_for_update().filter(unit=unit, year=year).first()
            target = target or Target(unit=unit, year=year)
            for name in TARGET_FIELDS:
                setattr(target, name, data.get(name))
            target.set_by = actor
            target.full_clean()
            acted_by(actor, target)
            target.save()
    except IntegrityError:  # someone set the year's targets at the same moment
        raise ValidationError(_("其他人刚刚设定了该年度的绩效目标，请刷新后再改。")) from None
    return target


def helped_households(unit, year: int) -> list[int]:
    """The households of the unit's tree paid in the year (any aid, goods included), a payment
    reversed since left out: the survey's population."""
    return list(
        LedgerEntry.objects.filter(
            kind=LedgerEntry.Kind.PAYMENT,
            reversed_by__isnull=True,
            household__union__path__startswith=unit.path,
            posted_on__year=year,
        )
        .values_list("household_id", flat=True)
        .distinct()
        .order_by("household_id")
    )


def survey_draw(*, actor, unit, year: int, size: int, seed: int | None = None) -> Survey:
    """Draw the sample of the unit's helped households for the year. The seed is recorded
    (drawn at random unless given), and so are the households drawn: the same seed over the
    same households draws the same sample (crosscheck.verification.draw)."""
    if not access.may_draw(actor, unit):
        raise PermissionDenied(_("满意度回访的抽样由该单位或上级单位的公司工会复核办理。"))
    if size is None or size < 1:
        raise ValidationError({"size": _("抽样户数至少为 1。")})
    if seed is None:
        seed = secrets.randbelow(MAX_SEED)
    try:
        return _survey_create(actor=actor, unit=unit, year=year, size=size, seed=seed)
    except IntegrityError:  # a second draw of the same unit and year at the same moment
        raise ValidationError(
            _("%(unit)s %(year)d 年已抽样，每个单位每年抽样一次。") % {"unit": unit, "year": year}
        ) from None


def _survey_create(*, actor, unit, year, size, seed) -> Survey:
    with transaction.atomic():
        if Survey.objects.filter(unit=unit, year=year).exists():
            raise ValidationError(
                _("%(unit)s %(year)d 年已抽样，每个单位每年抽样一次。")
                % {"unit": unit, "year": year}
            )
        population = helped_households(unit, year)
        if not population:
            raise ValidationError(_("该单位本年没有发放记录，无法抽样。"))
        if size > len(population):
            raise ValidationError(
                {"size": _("本年受助 %(n)d 户，抽样户数不能超过它。") % {"n": len(population)}}
            )
        survey = Survey(
            unit=unit, year=year, size=size, seed=seed, population=len(population), drawn_by=actor
        )
        survey.full_clean()
        acted_by(actor, survey)
        survey.save()
        SurveyItem.objects.bulk_create(
            SurveyItem(survey=survey, household_id=pk) for pk in draw(population, size, seed)
        )
    return survey


def survey_answer(*, actor, item, channel: str, answer: str, comment: str = "") -> SurveyItem:
    """Record the household's answer, once. Nobody records the answer of a household they
    belong to (its worker or a family member)."""
    with transaction.atomic():
        item = (
            SurveyItem.objects.select_for_update(of=("self",))
            .select_related("household__union")
            .get(pk=item.pk)
        )
        if not access.may_record(actor, item.household):
            raise PermissionDenied(_("回访结果由该户所在工会的帮扶专干、基层工会主席登记。"))
        if involved_in_household(actor, item.household):
            raise PermissionDenied(_("您是该户职工或家庭成员，不能登记本户的回访结果。"))
        if item.is_answered:
            raise ValidationError(_("该户的回访结果已登记，不能重复登记。"))
        errors = {}
        if channel not in SurveyItem.Channel.values:
            errors["channel"] = _("请选择回访方式（电话或上门）。")
        if answer not in SurveyItem.Answer.values:
            errors["answer"] = _("请选择回访结果。")
        comment = (comment or "").strip()
        if answer == SurveyItem.Answer.DISSATISFIED and not comment:
            errors["comment"] = _("回访结果为不满意时，请记下原因。")
        if errors:
            raise ValidationError(errors)
        item.channel, item.answer, item.comment = channel, answer, comment
        item.recorded_by, item.recorded_at = actor, timezone.now()
        item.full_clean()
        acted_by(actor, item)
        item.save(update_fields=["channel", "answer", "comment", "recorded_by", "recorded_at"])
    return item
