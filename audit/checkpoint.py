"""Checkpoints: the head of every hash chain, signed with a key that is not in the database
and written to files an operator copies off-site.

A chain alone proves nothing against someone who can write the database: they can edit a
row and recompute every hash after it (and the head, which lives in the same database). A
checkpoint records, for each chain, the position, id and hash of its last row at the time,
with an HMAC over the whole file. Later, `verify_integrity` checks that the row at that
position still has that id and that hash: with the chain intact up to it, every row before
it is as it was when the checkpoint was written. Rewriting history would need the key.

Each checkpoint is a new file (created exclusively, owner-only, never rewritten), and names
the hash of the file before it, so a removed or replaced checkpoint shows too.
"""

import datetime
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.registry import installed_chains

FORMAT = 1
# A newest checkpoint this many days old is reported (the daily timer should write one).
STALE_DAYS = 2
PATTERN = "checkpoint-*.json"


def _canonical(body: dict) -> bytes:
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sign(body: dict) -> str:
    """HMAC-SHA256 over everything in the checkpoint except the signature itself."""
    unsigned = {k: v for k, v in body.items() if k != "hmac"}
    key = settings.INTEGRITY_HMAC_KEY.encode()
    return hmac.new(key, _canonical(unsigned), hashlib.sha256).hexdigest()


def directory() -> Path:
    return Path(settings.INTEGRITY_CHECKPOINT_DIR)


def checkpoint_files(where: Path | None = None) -> list[Path]:
    """Checkpoint files, oldest first (names carry the time to the microsecond)."""
    where = where or directory()
    return sorted(where.glob(PATTERN)) if where.is_dir() else []


def latest(where: Path | None = None) -> Path | None:
    files = checkpoint_files(where)
    return files[-1] if files else None


def current_heads() -> list[dict]:
    """Each chain's last row as the database holds it now."""
    heads = []
    for spec in installed_chains():
        rows = spec.rows()
        count = rows.count()
        fields = ("pk", "row_hash", "chain_position") if spec.positioned else ("pk", "row_hash")
        last = rows.reverse().values_list(*fields).first()
        heads.append(
            {
                "name": spec.name,
                "rows": count,
                "position": (last[2] if spec.positioned else count) if last else 0,
                "last_id": last[0] if last else None,
                "last_hash": last[1] if last else "",
            }
        )
    return heads


def write(now: datetime.datetime | None = None) -> Path:
    """Write a new checkpoint file of the chains' current heads and return its path."""
    now = now or timezone.now()
    where = directory()
    where.mkdir(mode=0o700, parents=True, exist_ok=True)
    before = latest(where)
    body = {
        "format": FORMAT,
        "written_at": now.astimezone(datetime.UTC).isoformat(),
        "previous": before.name if before else "",
        "previous_sha256": hashlib.sha256(before.read_bytes()).hexdigest() if before else "",
        "chains": current_heads(),
    }
    body["hmac"] = sign(body)
    path = where / f"checkpoint-{now.astimezone(datetime.UTC):%Y%m%dT%H%M%S%fZ}.json"
    # O_EXCL: never overwrite a checkpoint; 0o600: readable by the service account only.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(json.dumps(body, ensure_ascii=False, indent=2, sort_keys=True).encode())
        out.flush()
        os.fsync(out.fileno())
    return path


def write_and_report(out) -> Path:
    """Write a checkpoint and say on `out` (a command's stdout) where, and what it holds."""
    path = write()
    out.write(f"Checkpoint written: {path}")
    for head in current_heads():
        out.write(
            f"  {head['name']}: {head['rows']} rows, last id={head['last_id']}, "
            f"hash {head['last_hash'][:16]}…"
        )
    return path


@dataclass
class Outcome:
    ok: bool
    lines: list


def _row_at(spec, head: dict):
    """The row the checkpoint names: by its position in the chain (or id, for a chain
    without positions)."""
    rows = spec.rows()
    if spec.positioned:
        return rows.filter(chain_position=head["position"]).values_list("pk", "row_hash").first()
    return rows.filter(pk=head["last_id"]).values_list("pk", "row_hash").first()


def check(path: Path) -> Outcome:
    """Compare the database with one checkpoint file; say what was checked and how."""
    try:
        body = json.loads(path.read_bytes())
        chains = body["chains"]
        written_at = body["written_at"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        return Outcome(False, [_("外部检查点 %(f)s 无法读取：%(e)s。") % {"f": path, "e": error}])
    if not hmac.compare_digest(str(body.get("hmac", "")), sign(body)):
        return Outcome(
            False,
            [
                _(
                    "外部检查点 %(f)s 的签名（HMAC-SHA256）无效：文件被改动，或不是用本系统的"
                    "密钥写成的。请用异地保存的副本核对。"
                )
                % {"f": path.name}
            ],
        )
    try:
        written = datetime.datetime.fromisoformat(written_at)
        age = (timezone.now() - written).days
        written_at = f"{timezone.localtime(written):%Y-%m-%d %H:%M:%S}"
    except (TypeError, ValueError):
        age = 0
    lines = [
        _("外部检查点 %(f)s（写于 %(t)s）：签名（HMAC-SHA256）有效。")
        % {"f": path.name, "t": written_at}
    ]
    if age >= STALE_DAYS:
        # Not a failure by itself, but daily checkpoints have stopped, or the newest were
        # moved away: the off-site copy tells which.
        lines.append(
            _(
                "最近的检查点写于 %(n)d 天前：每日检查点可能已停止，或较新的检查点被移走；请核对异地副本。"
            )
            % {"n": age}
        )
    ok = True
    previous = body.get("previous") or ""
    if previous:
        earlier = path.parent / previous
        if not earlier.exists():
            lines.append(
                _("上一个检查点 %(f)s 已不在目录中（可能已移走；请与异地副本核对）。")
                % {"f": previous}
            )
        elif hashlib.sha256(earlier.read_bytes()).hexdigest() != body.get("previous_sha256"):
            ok = False
            lines.append(_("上一个检查点 %(f)s 在写入后被改动过。") % {"f": previous})
    specs = {spec.name: spec for spec in installed_chains()}
    for head in chains:
        spec = specs.get(head["name"])
        if spec is None:
            lines.append(
                _("检查点中的“%(n)s”链在本系统中没有对应的表，跳过。") % {"n": head["name"]}
            )
            continue
        label, count = str(spec.label), head["position"]
        if not count:
            lines.append(_("%(label)s：检查点时为空，无需比对。") % {"label": label})
            continue
        found = _row_at(spec, head)
        values = {"label": label, "n": count, "id": head["last_id"]}
        if found is None:
            ok = False
            lines.append(
                _(
                    "%(label)s：检查点记录的第 %(n)d 条（id=%(id)s）已不在数据库中：检查点之后有"
                    "记录被删除。"
                )
                % values
            )
        elif found[0] != head["last_id"]:
            ok = False
            lines.append(
                _(
                    "%(label)s：检查点时第 %(n)d 条是 id=%(id)s，现在是 id=%(now)s：链被改写或"
                    "重排过。"
                )
                % {**values, "now": found[0]}
            )
        elif found[1] != head["last_hash"]:
            ok = False
            lines.append(
                _(
                    "%(label)s：第 %(n)d 条（id=%(id)s）的哈希与检查点不一致：检查点之前的记录"
                    "被改动后整条链被重新计算过。"
                )
                % values
            )
        else:
            added = spec.rows().count() - head["rows"]
            lines.append(
                _(
                    "%(label)s：第 %(n)d 条（id=%(id)s）的哈希与检查点一致，即检查点之前的记录"
                    "均未改动；此后新增 %(added)d 条。"
                )
                % {**values, "added": added}
            )
    checkpointed = {head["name"] for head in chains}
    for name, spec in specs.items():
        if name not in checkpointed:
            lines.append(
                _("%(label)s：该检查点尚未包含此链（下一次检查点会包含）。") % {"label": spec.label}
            )
    return Outcome(ok, lines)
