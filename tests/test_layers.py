"""Relations between models follow the same layers as the imports (pyproject.toml,
[tool.importlinter]): a foreign key, one-to-one or many-to-many may point to a model of the
same app or of a lower layer, never up and never across to a sibling. String foreign keys
("cases.Application") are not imports, so lint-imports cannot see them; this test does."""

import tomllib
from pathlib import Path

from django.apps import apps

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"

# Relations that still point up, as "app.Model.field -> app": each with what removes it
# (issue 13, "Apps depend one way"). The list only shrinks: a stale entry fails too.
KNOWN_EXCEPTIONS: dict[str, str] = {}


def _layers() -> list[list[str]]:
    """The layers of the import contract, lowest first; siblings share a layer."""
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]
    (contract,) = [c for c in config["contracts"] if c["type"] == "layers"]
    return [[app.strip() for app in layer.split("|")] for layer in reversed(contract["layers"])]


def _upward_relations() -> set[str]:
    rank = {app: level for level, layer in enumerate(_layers()) for app in layer}
    found = set()
    for model in apps.get_models(include_auto_created=True):
        own = model._meta.app_config.name
        if own not in rank:
            continue
        for field in model._meta.get_fields(include_hidden=True):
            if not field.is_relation or field.auto_created and not field.concrete:
                continue  # reverse accessors: the other side declares the relation
            target = field.related_model._meta.app_config.name
            if target == own or target not in rank:
                continue
            if rank[target] >= rank[own]:
                found.add(f"{model._meta.label}.{field.name} -> {target}")
    return found


def test_layers_are_read_from_the_import_contract():
    layers = _layers()
    assert layers[0] == ["hardship"]
    assert ["reports", "audit", "evaluation"] in layers


def test_no_model_relation_points_up_or_across_the_layers():
    found = _upward_relations()
    assert found - set(KNOWN_EXCEPTIONS) == set(), "relations against the layers"
    assert set(KNOWN_EXCEPTIONS) - found == set(), "exceptions that no longer exist: remove"
