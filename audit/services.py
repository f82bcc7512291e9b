"""Checking the hash chains (hardship.chain), the records a payment relies on and the last
checkpoint; recording the outcome."""

from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from audit import checkpoint, consistency, registry
from audit.models import IntegrityRun
from hardship import chain
from hardship.models import ChainHead


def _problem_line(label, problem) -> str:
    """One line of the report for one problem of a chain."""
    values = {"label": label, "pk": problem.pk, "pos": problem.position}
    if problem.kind == "missing":
        values.update(
            last=problem.last_position,
            before=problem.before_pk if problem.before_pk is not None else "—",
            after=problem.after_pk,
            ids="、".join(f"id={pk}" for pk in problem.candidate_pks),
        )
        one = problem.last_position == problem.position
        values["where"] = (_("第 %(pos)d 条") if one else _("第 %(pos)d–%(last)d 条")) % values
        if problem.candidate_pks:
            message = _(
                "%(label)s：缺少%(where)s记录（%(ids)s），位于 id=%(before)s 与 id=%(after)s "
                "之间：被删除。"
            )
        else:  # the sequence skipped ids: the position is exact, the id a range
            message = _(
                "%(label)s：缺少%(where)s记录（原 id 在 %(before)s 与 %(after)s 之间），"
                "位于 id=%(after)s 之前：被删除。"
            )
        return message % values
    if problem.kind == "content":
        return (
            _("%(label)s：记录 id=%(pk)s（第 %(pos)d 条）内容与记录时不一致（被改动）。") % values
        )
    if problem.kind == "link":
        return (
            _(
                "%(label)s：记录 id=%(pk)s（第 %(pos)d 条）与上一条记录的链接断开（前面的记录被改写或插入）。"
            )
            % values
        )
    if problem.position is None:
        return _("%(label)s：记录 id=%(pk)s 没有链位置（未经系统写入）。") % values
    return _("%(label)s：记录 id=%(pk)s 的链位置 %(pos)s 重复或倒序（被插入或改动）。") % values


def _walk(spec):
    rows = spec.rows().iterator(chunk_size=5000)
    return chain.verify(rows, spec.content_of)


def _tail(spec) -> str | None:
    """The head must match the last row, or rows were removed from the end. Writers append
    under a lock on the head row: holding it, the last row cannot move between the two reads
    (or a payment landing in between would look like a deletion)."""
    with transaction.atomic():
        head = ChainHead.objects.select_for_update().filter(name=spec.name).first()
        fields = ("pk", "row_hash", "chain_position") if spec.positioned else ("pk", "row_hash")
        last = spec.rows().reverse().values_list(*fields).first()
        count = spec.rows().count() if not spec.positioned else None
    head_hash = head.last_hash if head else ""
    head_rows = head.rows if head else 0
    last_hash = last[1] if last else ""
    last_position = (last[2] if spec.positioned else count) if last else 0
    last_id = head.last_id if head else None
    values = {"label": spec.label, "rows": head_rows, "id": last_id if last_id else "?"}
    if head_rows > last_position:
        values["first"] = last_position + 1
        if head_rows == last_position + 1:
            return _("%(label)s：末尾缺少第 %(rows)d 条记录（id=%(id)s）：被删除。") % values
        return (
            _("%(label)s：末尾缺少第 %(first)d–%(rows)d 条记录（最后一条 id=%(id)s）：被删除。")
            % values
        )
    if last_hash != head_hash and (last_hash or head_hash):
        return _("%(label)s：链尾与最后一条记录不一致（末尾记录被删除或改写）。") % values
    return None


def verify_integrity(*, checkpoint_path=None) -> IntegrityRun:
    """Walk every hash chain, compare the records a payment relies on with the chains and the
    ledger, and check the database against the last checkpoint kept outside it (or the one
    given). Record and return the outcome."""
    lines, ok, checked = [], True, 0
    for spec in registry.installed_chains():
        walk = _walk(spec)
        checked += walk.checked
        label = str(spec.label)
        problems = [_problem_line(label, problem) for problem in walk.problems]
        tail = _tail(spec)
        if tail:
            problems.append(tail)
        if problems:
            ok = False
            lines.extend(problems)
        else:
            lines.append(_("%(label)s：%(n)d 条记录完整。") % {"label": label, "n": walk.checked})
    for check in consistency.CHECKS:
        passed, found = check()
        ok = ok and passed
        lines.extend(found)
    path = Path(checkpoint_path) if checkpoint_path else checkpoint.latest()
    if path is None:
        lines.append(
            _(
                "尚无外部检查点（目录 %(d)s）：无法发现在数据库内改写记录后重算整条哈希链的篡改。"
                "请每日运行 checkpoint_integrity 并将检查点复制到异地。"
            )
            % {"d": checkpoint.directory()}
        )
    else:
        outcome = checkpoint.check(path)
        ok = ok and outcome.ok
        lines.extend(outcome.lines)
    with transaction.atomic():
        return IntegrityRun.objects.create(ok=ok, checked=checked, report="\n".join(lines))
