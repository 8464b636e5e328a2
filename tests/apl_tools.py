"""Python front-end for tests/js/check_apl.js (npm apl-suggester's StaticAplTemplateValidator),
run the way tests/node_tools.py runs the other Node checkers: one `node` process per batch.

apl-suggester sends some findings (an unknown component type) only to an internal error channel
that it discards; check_apl.js records that channel, and `unknown_components` checks component
types against APL's own list as well.
"""

from __future__ import annotations

import json
from typing import Any, Iterator

from tests.node_tools import REPO_ROOT, NodeToolsError, _run

# APL's primitive components (APL 2023.3 and 2024.2).
APL_COMPONENTS = frozenset({
    "Container", "EditText", "FlexSequence", "Frame", "GridSequence", "Image", "Pager",
    "ScrollView", "Sequence", "Text", "TouchWrapper", "VectorGraphic", "Video"})
# Where a component (or a list of them) sits inside another, or inside a layout or template.
_CHILD_KEYS = ("item", "items", "firstItem", "lastItem")


def check_apl(batch: list[tuple[dict, dict | None]]) -> list[dict[str, list]]:
    """For each (document, datasources): {"document": [...], "datasources": [...],
    "channel": [...]}, each list empty when apl-suggester found nothing."""
    if not (REPO_ROOT / "node_modules" / "apl-suggester" / "package.json").is_file():
        raise NodeToolsError("node_modules is missing apl-suggester: run `make test`, or "
                             f"`npm ci --no-audit --no-fund` in {REPO_ROOT}.")
    batch = list(batch)
    if not batch:
        return []
    result = _run("check_apl.js", stdin=json.dumps(
        [{"document": document, "datasources": sources} for document, sources in batch]))
    if not isinstance(result, list) or len(result) != len(batch):
        raise NodeToolsError(f"check_apl.js returned {len(result)} results for {len(batch)}")
    return result


def _components(node: Any, path: str) -> Iterator[tuple[str, dict]]:
    if isinstance(node, list):
        for index, child in enumerate(node):
            yield from _components(child, f"{path}[{index}]")
    elif isinstance(node, dict):
        yield path, node
        for key in _CHILD_KEYS:
            if key in node:
                yield from _components(node[key], f"{path}.{key}")


def unknown_components(document: dict) -> list[str]:
    """Every component whose type is neither APL's nor one of the document's own layouts."""
    layouts = set(document.get("layouts") or {})
    roots = [("mainTemplate", document.get("mainTemplate") or {})]
    roots += [(f"layouts.{name}", layout)
              for name, layout in (document.get("layouts") or {}).items()]
    found = []
    for root_path, root in roots:
        for key in ("item", "items"):
            for path, component in _components(root.get(key), f"{root_path}.{key}"):
                kind = component.get("type")
                if not isinstance(kind, str) or (kind not in APL_COMPONENTS | layouts
                                                 and "${" not in kind):
                    found.append(f"{path}: {kind!r} is not an APL component or a layout")
    return found
