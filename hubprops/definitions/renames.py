"""Checks of ``renames`` ({from, to}) that look across items and files of one object type.

Every one is located at the rename it is about: a property renamed to itself, the same property
renamed twice, two renames to one target, a chain (``a -> b`` and ``b -> c``: apply would copy
values twice; rename ``a -> c`` instead), and a renamed property that is still defined under
its old name (the rename archives it). Checks that need HubSpot (the source exists, is not
HubSpot-defined, the target is free or of the same type) are the planner's
(``hubprops/plan/renames.py``).
"""

from __future__ import annotations

from collections import defaultdict

from hubprops.definitions.semantic import SourceDocument
from hubprops.errors import Diagnostic


def rename_diagnostics(documents: list[SourceDocument]) -> list[Diagnostic]:
    """Every problem with the ``renames`` of ``documents``, located."""
    problems: list[Diagnostic] = []
    by_type: dict[str, list[tuple[SourceDocument, int, str, str]]] = defaultdict(list)
    defined: dict[str, set[str]] = defaultdict(set)
    for doc in documents:
        object_type = doc.object_type
        if object_type is None:
            continue
        defined[object_type].update(
            str(item.get("name")) for _, item in doc.items("properties") if "name" in item
        )
        for index, item in doc.items("renames"):
            old, new = item.get("from"), item.get("to")
            if isinstance(old, str) and isinstance(new, str):
                by_type[object_type].append((doc, index, old, new))
    for object_type, renames in by_type.items():
        sources = defaultdict(list)
        targets = defaultdict(list)
        for doc, index, old, new in renames:
            sources[old].append((doc, index))
            targets[new].append((doc, index))
        for doc, index, old, new in renames:
            where = ("renames", index)
            if old == new:
                problems.append(doc.diagnostic(where, f"{old!r} is renamed to itself"))
            if len(sources[old]) > 1 and sources[old][0] != (doc, index):
                problems.append(
                    doc.diagnostic((*where, "from"), f"{old!r} is renamed twice ({object_type})")
                )
            if len(targets[new]) > 1 and targets[new][0] != (doc, index):
                problems.append(
                    doc.diagnostic(
                        (*where, "to"), f"two renames to {new!r} ({object_type}): keep one"
                    )
                )
            if new in sources and new != old:
                problems.append(
                    doc.diagnostic(
                        (*where, "to"),
                        f"rename chain: {old!r} -> {new!r} and {new!r} is renamed too; "
                        "rename straight to the last name",
                    )
                )
            if old in defined[object_type]:
                problems.append(
                    doc.diagnostic(
                        (*where, "from"),
                        f"{old!r} is renamed but still defined in properties; remove its "
                        "definition (the rename archives it once its values are copied)",
                    )
                )
    return problems
