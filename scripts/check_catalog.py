#!/usr/bin/env python3
"""Check the endpoints the facade declares against the Atlas Administration API spec.

    python3 scripts/check_catalog.py [SPEC] [--catalog FILE|-]

SPEC is the OpenAPI file (default: ../shared/atlas-openapi/v2.yaml, relative to the
repository root). Without --catalog the script runs `cargo run --quiet --example catalog`
from the repository root; with it, it reads the catalog's JSON lines from FILE (`-` for
standard input).

For every declared endpoint it looks up the operation with the same path and method and
compares: the operationId, the version (one of the media types of the 200 response), the
set of parameters with where each goes (`in`), the pattern of every path parameter, and
whether the operation is deprecated. It exits 0 when everything matches, 1 with one line
per difference otherwise, 2 when it could not run.
"""

import argparse
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SPEC = os.path.join(ROOT, "..", "shared", "atlas-openapi", "v2.yaml")
MEDIA_TYPE = re.compile(r"^application/vnd\.atlas\.([^+]+)\+json$")


def fail(message):
    print(f"check_catalog: {message}", file=sys.stderr)
    sys.exit(2)


def load_spec(path):
    try:
        import yaml
    except ImportError:
        fail("PyYAML is needed to read the spec (pip install pyyaml, or apt-get install python3-yaml)")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        with open(path, encoding="utf-8") as spec_file:
            return yaml.load(spec_file, Loader=loader)
    except OSError as error:
        fail(f"cannot read the spec {path}: {error}")


def load_catalog(source):
    if source is None:
        command = ["cargo", "run", "--quiet", "--example", "catalog"]
        run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        if run.returncode != 0:
            sys.stderr.write(run.stderr)
            fail(f"`{' '.join(command)}` exited with {run.returncode}")
        text = run.stdout
    elif source == "-":
        text = sys.stdin.read()
    else:
        with open(source, encoding="utf-8") as catalog_file:
            text = catalog_file.read()
    entries = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError as error:
            fail(f"catalog line {number} is not JSON: {error}")
    if not entries:
        fail("the catalog is empty")
    return entries


def resolve(spec, node):
    """Follows a local `$ref` (`#/components/...`) to what it points at."""
    seen = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if ref in seen or not ref.startswith("#/"):
            fail(f"cannot resolve {ref}")
        seen.add(ref)
        node = spec
        for part in ref[2:].split("/"):
            node = node[part]
    return node


def spec_params(spec, path_item, operation):
    """The operation's parameters, those of its path item included, by (name, in)."""
    params = {}
    for raw in list(path_item.get("parameters", [])) + list(operation.get("parameters", [])):
        param = resolve(spec, raw)
        schema = resolve(spec, param.get("schema", {}))
        pattern = schema.get("pattern") if param.get("in") == "path" else None
        params[(param["name"], param["in"])] = pattern
    return params


def spec_versions(operation):
    ok = operation.get("responses", {}).get("200", {})
    versions = []
    for media_type in ok.get("content", {}):
        match = MEDIA_TYPE.match(media_type)
        if match:
            versions.append(match.group(1))
    return versions


def check(spec, entries):
    problems = []
    seen = {}
    paths = spec.get("paths", {})
    for entry in entries:
        method = str(entry.get("method", "")).lower()
        path = entry.get("path", "")
        label = f"{entry.get('method')} {path}"
        key = (method, path)
        if key in seen:
            problems.append(f"{label}: declared twice ({seen[key]} and {entry.get('operationId')})")
            continue
        seen[key] = entry.get("operationId")
        path_item = paths.get(path)
        if path_item is None:
            problems.append(f"{label}: the spec has no such path")
            continue
        operation = path_item.get(method)
        if operation is None:
            methods = sorted(m.upper() for m in path_item if m != "parameters")
            problems.append(f"{label}: the spec has no {method.upper()} on this path (it has {', '.join(methods)})")
            continue

        declared_id = entry.get("operationId")
        if declared_id != operation.get("operationId"):
            problems.append(f"{label}: operationId is {declared_id!r}, the spec says {operation.get('operationId')!r}")

        versions = spec_versions(operation)
        if entry.get("version") not in versions:
            problems.append(f"{label}: version is {entry.get('version')!r}, the spec's 200 response has {versions}")

        expected = spec_params(spec, path_item, operation)
        declared = {}
        for param in entry.get("params", []):
            name_in = (param.get("name"), param.get("in"))
            if name_in in declared:
                problems.append(f"{label}: parameter {name_in[0]!r} ({name_in[1]}) is listed twice")
            declared[name_in] = param.get("pattern")
        for name, where in sorted(set(expected) - set(declared)):
            problems.append(f"{label}: missing parameter {name!r} (in {where}) that the spec lists")
        for name, where in sorted(set(declared) - set(expected)):
            problems.append(f"{label}: parameter {name!r} (in {where}) is not in the spec")
        for name_in in sorted(set(declared) & set(expected)):
            if declared[name_in] != expected[name_in]:
                problems.append(
                    f"{label}: parameter {name_in[0]!r} ({name_in[1]}) has pattern {declared[name_in]!r}, "
                    f"the spec says {expected[name_in]!r}"
                )

        spec_deprecated = bool(operation.get("deprecated", False))
        declared_deprecated = entry.get("deprecated") is not None
        if spec_deprecated != declared_deprecated:
            state = "deprecated" if spec_deprecated else "not deprecated"
            problems.append(f"{label}: the spec marks it {state}, the declaration does not agree")

        if entry.get("paginated") and method != "get":
            problems.append(f"{label}: paginated, but not a GET")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec", nargs="?", default=DEFAULT_SPEC, help="the OpenAPI spec (YAML)")
    parser.add_argument("--catalog", help="read the catalog from this file ('-' for stdin) instead of running the example")
    args = parser.parse_args()

    entries = load_catalog(args.catalog)
    spec = load_spec(args.spec)
    problems = check(spec, entries)
    if problems:
        print(f"check_catalog: {len(problems)} difference(s) between the declarations and {args.spec}:")
        for problem in problems:
            print(f"  - {problem}")
        return 1
    print(f"check_catalog: {len(entries)} endpoints match {os.path.relpath(args.spec)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
