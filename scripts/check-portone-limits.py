#!/usr/bin/env python3
"""Compares PortOne's published limits kept in tests/data/portone-limits.json with a newer copy of
PortOne's V1 API description (src/schema/v1.openapi.json of github.com/portone-io/developers.portone.io)
and prints what changed. A maintainer's tool, not part of `make test` (it may need the network).

    python3 scripts/check-portone-limits.py path/to/v1.openapi.json
    python3 scripts/check-portone-limits.py https://raw.githubusercontent.com/portone-io/developers.portone.io/main/src/schema/v1.openapi.json

Exits 0 when the facts still hold, 1 when a limit changed, appeared or went away (then change the
facts, and the table in src/fields.rs: `cargo test --test native_facts` says which line)."""

import json
import pathlib
import sys
import urllib.request

FACTS = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data" / "portone-limits.json"


def load(source):
    if source.startswith(("http://", "https://")):
        with urllib.request.urlopen(source, timeout=60) as answer:
            return json.load(answer)
    with open(source, encoding="utf-8") as f:
        return json.load(f)


def resolve(description, node):
    while isinstance(node, dict) and "$ref" in node:
        target = description
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def published(description, path, method):
    """name → maxLength of the operation's parameters that have one."""
    operation = description.get("paths", {}).get(path, {}).get(method)
    if operation is None:
        sys.exit(f"check-portone-limits: the description has no {method.upper()} {path}")
    limits = {}
    for parameter in operation.get("parameters", []):
        parameter = resolve(description, parameter)
        schema = resolve(description, parameter.get("schema", parameter))
        if "maxLength" in schema:
            limits[parameter.get("name")] = schema["maxLength"]
    return limits


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    facts = json.loads(FACTS.read_text(encoding="utf-8"))
    path, method = facts["sources"]["rest"]["operation"]
    kept = facts["limits"]["rest"]
    now = published(load(sys.argv[1]), path, method)
    changes = []
    for name in sorted(set(kept) | set(now)):
        before, after = kept.get(name), now.get(name)
        if before == after:
            continue
        if before is None:
            changes.append(f"  new:     {name} maxLength {after}")
        elif after is None:
            changes.append(f"  gone:    {name} (the facts say {before})")
        else:
            changes.append(f"  changed: {name} {before} → {after}")
    print(f"{method.upper()} {path}: {len(now)} limits published, {len(kept)} kept in {FACTS.name}")
    if not changes:
        print("no change")
        return 0
    print("\n".join(changes))
    print("(the SDK's request_pay limits are not in this description: check them by hand)")
    return 1


if __name__ == "__main__":
    sys.exit(main())
