#!/usr/bin/env python3
"""Check the endpoints the facade declares against the Atlas Administration API spec.

    python3 scripts/check_catalog.py [SPEC] [--catalog FILE|-]

SPEC is the OpenAPI file (default: ../shared/atlas-openapi/v2.yaml, relative to the
repository root). Without --catalog the script runs `cargo run --quiet --example catalog`
from the repository root; with it, it reads the catalog's JSON lines from FILE (`-` for
standard input).

For every declared endpoint it looks up the operation with the same path and method and
compares: the operationId; the version and format (`application/vnd.atlas.<version>+<format>`:
one of the media types of any 2xx answer, or of the request body when no 2xx answer has
content); the set of parameters with where each goes (`in`; header names compared without
case), the pattern of every path parameter; whether the operation is deprecated; the
`sunset` with the `x-sunset` of that version; and, when the catalog has them, the
`unauthenticated` flag (`security: []`) and `envelopeDefault` (the spec's `envelope`
defaulting to true). An operation may be declared once per version (older versions are
declared as methods of their own). It exits 0 when everything matches, 1 with one line per
difference otherwise, 2 when it could not run.
"""

import argparse
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SPEC = os.path.join(ROOT, "..", "shared", "atlas-openapi", "v2.yaml")
MEDIA_TYPE = re.compile(r"^application/vnd\.atlas\.([^+]+)\+([a-z]+)$")


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
        params[param_key(param["name"], param["in"])] = pattern
    return params


def param_key(name, where):
    """HTTP header names are case-insensitive; path and query names are not."""
    return (str(name).lower() if where == "header" else name, where)


def media_types(spec, content):
    """(version, format) -> the media type object, for the versioned media types of `content`."""
    found = {}
    for media_type, body in (content or {}).items():
        match = MEDIA_TYPE.match(media_type)
        if match:
            found[(match.group(1), match.group(2))] = resolve(spec, body) or {}
    return found


def spec_versions(spec, operation):
    """The (version, format) pairs a declaration may use, each with its `x-sunset` (or None).

    Every 2xx answer counts, not only 200 (119 operations have none); when no 2xx answer has
    content (a 204, say), the request body's media types give the version.
    """
    answers = {}
    for code, response in operation.get("responses", {}).items():
        if str(code).startswith("2"):
            answers.update(media_types(spec, resolve(spec, response).get("content")))
    body = resolve(spec, operation.get("requestBody") or {})
    requests = media_types(spec, body.get("content"))
    body_sunsets = {version: media.get("x-sunset") for (version, _), media in requests.items()}
    return {
        (version, kind): media.get("x-sunset") or body_sunsets.get(version)
        for (version, kind), media in (answers or requests).items()
    }


def envelope_defaults_true(spec, path_item, operation):
    for raw in list(path_item.get("parameters", [])) + list(operation.get("parameters", [])):
        param = resolve(spec, raw)
        if param.get("name") == "envelope" and param.get("in") == "query":
            return resolve(spec, param.get("schema", {})).get("default") is True
    return False


def check(spec, entries):
    problems = []
    seen = {}
    paths = spec.get("paths", {})
    for entry in entries:
        method = str(entry.get("method", "")).lower()
        path = entry.get("path", "")
        label = f"{entry.get('method')} {path}"
        key = (method, path, entry.get("version"))
        if key in seen:
            problems.append(
                f"{label}: version {entry.get('version')!r} declared twice ({seen[key]} and {entry.get('operationId')})"
            )
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

        versions = spec_versions(spec, operation)
        declared_media = (entry.get("version"), entry.get("format", "json"))
        if versions and declared_media not in versions:
            offered = sorted(f"{version}+{kind}" for version, kind in versions)
            problems.append(
                f"{label}: version is {declared_media[0]}+{declared_media[1]}, the spec offers {offered}"
            )
        elif "sunset" in entry and versions:
            spec_sunset = versions[declared_media]
            spec_sunset = str(spec_sunset) if spec_sunset is not None else None
            if entry.get("sunset") != spec_sunset:
                problems.append(
                    f"{label}: sunset is {entry.get('sunset')!r}, the spec's x-sunset of {declared_media[0]} is {spec_sunset!r}"
                )

        if "unauthenticated" in entry:
            spec_open = operation.get("security") == []
            if bool(entry.get("unauthenticated")) != spec_open:
                state = "needs no" if spec_open else "needs"
                problems.append(f"{label}: the spec says it {state} authentication, the declaration does not agree")

        if "envelopeDefault" in entry:
            spec_default = envelope_defaults_true(spec, path_item, operation)
            if bool(entry.get("envelopeDefault")) != spec_default:
                problems.append(
                    f"{label}: the spec's envelope defaults to {str(spec_default).lower()}, the declaration does not agree"
                )

        expected = spec_params(spec, path_item, operation)
        declared = {}
        for param in entry.get("params", []):
            name_in = param_key(param.get("name"), param.get("in"))
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
