#!/usr/bin/env python3
"""Check that the runtime and macro crates read straight down: no module imports one above it.

    python3 scripts/check_layers.py

Each crate lists its modules from the bottom up; a module may refer (`use crate::…` or a
`crate::…` path in code) only to modules listed before it. A reference to the crate root
(`crate::Name`) counts as one to the top. Doc comments and `#[cfg(test)]` code are not
imports and are skipped. Exits 1 with one line per upward reference, or when a module
exists that the list does not place.
"""

import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Bottom first. A folder module (`auth/`) is one entry: its files are its own business.
LAYERS = {
    "runtime/src": [
        "defaults",  # constants only
        "types",  # wire types shared by everything (ApiError, Link, ...)
        "codes",  # Atlas's error codes, constants only
        "pattern",
        "endpoint",  # what a declaration records
        "error",
        "body",  # reading a body under a size cap
        "path",
        "query",
        "wait_args",  # what a waiter's poll takes from the call's arguments and answer
        "retry",
        "pacing",  # staying under the rate limit the server announces
        "deprecation",
        "auth",
        "serial",  # per-client locks of `serialize_by` endpoints
        "client_state",  # what clones of a client share
        "request",  # the request as it is sent
        "send",  # the one send funnel
        "json_path",  # the path of a failed decode, read off the text
        "decode",
        "answer",  # downloads and bodiless answers
        "page",
        "page_guard",
        "call",
        "paginated",
        "wait",  # polling after a call until its resource settles
        "catalog",
        "profile",  # Atlas CLI profiles
        "client",
        "private",  # what generated code refers to
        "lib",
    ],
    "macros/src": [
        "case",
        "duration",  # `30s`, `1h30m`; also read by the `atlas` example
        "ctxt",
        "pattern",  # the compile-time regex check
        "template",
        "wait",  # the `wait(...)` option, parsed
        "attr",
        "ast",
        "valid_wait",
        "valid",
        "fallback",
        "expand_wait",
        "expand",
        "lib",
        "expand_files",  # test-only: the API expanded by hand, for benches/compile_scaling_api.sh
    ],
}

REFERENCE = re.compile(r"\bcrate::([A-Za-z_][A-Za-z0-9_]*)")
GROUP = re.compile(r"\bcrate::\{([^}]*)\}", re.S)
GROUP_ITEM = re.compile(r"(?:^|,)\s*([A-Za-z_][A-Za-z0-9_]*)")
TEST_MODULE = re.compile(r"#\[cfg\(test\)\]\s*(?:pub(?:\(crate\))?\s+)?mod\s+\w+\s*(?:;|\{)")
# A string literal's text: docs written with `#[doc = concat!(..)]` link upwards as `///` docs do.
STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def code_lines(text):
    """The lines of `text` outside doc comments, line comments, string literals and the test
    module."""
    match = TEST_MODULE.search(text)
    if match and text[match.end() - 1] == "{":
        text = text[: match.start()]
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        yield number, STRING.sub('""', line).split("//", 1)[0]


def references_in(text):
    """`(line, name)` for every `crate::name` and every name of a `crate::{a, b::c}` group."""
    lines = list(code_lines(text))
    for number, line in lines:
        for name in REFERENCE.findall(line):
            yield number, name
    code = "\n".join(line for _, line in lines)
    for group in GROUP.finditer(code):
        number = lines[code[: group.start()].count("\n")][0]
        for name in GROUP_ITEM.findall(group.group(1)):
            yield number, name


def module_of(path, src):
    rel = os.path.relpath(path, src)[:-3]
    top = rel.split(os.sep)[0]
    return "lib" if top in ("lib", "main") else top


def check(src, layers):
    problems = []
    rank = {name: index for index, name in enumerate(layers)}
    for folder, _, files in os.walk(src):
        for file in sorted(files):
            if not file.endswith(".rs"):
                continue
            path = os.path.join(folder, file)
            module = module_of(path, src)
            if module == "tests":
                continue  # the crate's own unit-test helpers
            if module not in rank:
                problems.append(f"{os.path.relpath(path, ROOT)}: module `{module}` has no layer")
                continue
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
            for number, name in references_in(text):
                target = name if name in rank else "lib"
                where = f"{os.path.relpath(path, ROOT)}:{number}"
                if target == "lib" and name[0].islower():
                    problems.append(f"{where}: `crate::{name}` is no module of the list")
                elif target != module and rank[target] > rank[module]:
                    problems.append(
                        f"{where}: `{module}` refers to `crate::{name}`, "
                        f"which is above it (`{target}`)"
                    )
    return problems


def main():
    problems = []
    for src, layers in LAYERS.items():
        problems += check(os.path.join(ROOT, src), layers)
    for problem in problems:
        print(problem)
    if problems:
        sys.exit(1)
    print(f"layers: {sum(len(v) for v in LAYERS.values())} modules read straight down")


if __name__ == "__main__":
    main()
