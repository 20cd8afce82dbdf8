//! Writes the declarations (`src/api/`) and models (`src/models/`) of atlas-endpoints, and
//! the tag features of its `Cargo.toml`, from the Atlas Administration API spec; and the
//! operation table of the `atlas` example (`examples/atlas/operations.rs`); and the tables
//! the sandbox serves the API from (`sandbox/tables/`).
//!
//! ```text
//! cargo run -p atlas-endpoints-codegen                  # writes into the workspace
//! cargo run -p atlas-endpoints-codegen -- --out DIR     # writes into DIR (CI compares)
//! cargo run -p atlas-endpoints-codegen -- --spec FILE   # another copy of the spec
//! ```
//!
//! The same spec gives the same bytes: everything is written in the spec's order or sorted,
//! and formatted with `rustfmt`.

mod emit_api;
mod emit_cli;
mod emit_conformance;
mod emit_models;
mod emit_sandbox;
mod features;
mod ir;
mod naming;
mod operations;
mod render;
mod schemas;
mod spec;
mod waiter_table;
mod waiters;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use ir::Shape;
use operations::{Answer, Operation};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("codegen: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut spec_path = workspace.join("../shared/atlas-openapi/v2.yaml");
    let mut out = workspace.clone();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--spec" => spec_path = PathBuf::from(args.next().ok_or("--spec needs a file")?),
            "--out" => out = PathBuf::from(args.next().ok_or("--out needs a directory")?),
            other => {
                return Err(format!(
                    "unknown argument {other:?} (use --spec FILE, --out DIR)"
                ))
            }
        }
    }
    let text = std::fs::read_to_string(&spec_path)
        .map_err(|error| format!("cannot read the spec at {}: {error}", spec_path.display()))?;
    let spec = spec::Spec::load(&text)?;

    let found = operations::read(&spec);
    let mut registry = schemas::Registry::new(&spec);
    for (_, _, op) in &found {
        operations::note_uses(&spec, &mut registry, op);
    }
    let mut ops: Vec<Operation> = found
        .iter()
        .map(|(path, method, op)| operations::operation(&spec, &mut registry, path, method, op))
        .collect();
    registry.box_cycles();
    check_names(&ops)?;
    check_serialized(&ops)?;
    let mut waits = waiters::resolve(&ops, &registry.models)?;
    for op in &mut ops {
        op.wait = waits.remove(&op.id);
    }

    let by_id: BTreeMap<String, &Operation> = ops.iter().map(|op| (op.id.clone(), op)).collect();
    let tags = features_of_models(&ops, &registry.models);
    let api = emit_api::files(&ops, &by_id);
    let models = emit_models::files(&registry.models, &tags);

    let mut written = Vec::new();
    written.extend(replace_dir(&out.join("src/api"), &api)?);
    written.extend(replace_dir(&out.join("src/models"), &models)?);
    written.push(write_file(
        &out.join("examples/atlas/operations.rs"),
        &emit_cli::file(&ops)?,
    )?);
    let table = out.join("tests/full/tests/generated/models.rs");
    let io = |error: std::io::Error| format!("{}: {error}", table.display());
    std::fs::create_dir_all(table.parent().unwrap_or(&out)).map_err(io)?;
    let text = emit_conformance::file(&spec, &ops, &registry.models, &registry.inline_nodes);
    std::fs::write(&table, text).map_err(io)?;
    written.push(table);
    rustfmt(&written)?;
    write_file(
        &out.join("sandbox/tables/operations.json"),
        &emit_sandbox::operations(&spec, &ops),
    )?;
    write_file(
        &out.join("sandbox/tables/schemas.json"),
        &emit_sandbox::schemas(&spec),
    )?;
    let all_tags: BTreeSet<String> = ops.iter().map(|op| op.tag.clone()).collect();
    features::write(&out.join("Cargo.toml"), &all_tags)?;
    eprintln!(
        "codegen: {} operations in {} tags, {} models, into {}",
        ops.len(),
        all_tags.len(),
        registry.models.len(),
        out.display()
    );
    Ok(())
}

/// Method names must be unique across traits: the prelude brings them all into scope.
fn check_names(ops: &[Operation]) -> Result<(), String> {
    let mut seen = HashSet::new();
    for op in ops {
        if !seen.insert(op.method_name.as_str()) {
            return Err(format!(
                "two operations would be named `{}` ({})",
                op.method_name, op.id
            ));
        }
    }
    Ok(())
}

/// Each entry of [`operations::SERIALIZED`] names an operation of the spec and one of its path
/// arguments: a stale entry is an error, not a lock that silently never applies.
fn check_serialized(ops: &[Operation]) -> Result<(), String> {
    for (id, arg) in operations::SERIALIZED {
        match ops.iter().find(|op| op.id == *id) {
            None => return Err(format!("SERIALIZED names {id}, which the spec has no more")),
            Some(op) if !op.template.contains(&format!("<{arg}>")) => {
                return Err(format!(
                    "SERIALIZED serializes {id} by `{arg}`, which is no path argument of {}",
                    op.template
                ))
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// The tag features under which each model must compile: those of every operation that
/// reaches it.
fn features_of_models(
    ops: &[Operation],
    models: &BTreeMap<String, ir::Model>,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut tags: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for op in ops {
        let feature = naming::tag_feature(&op.tag);
        let mut stack: Vec<String> = Vec::new();
        let mut roots = BTreeSet::new();
        if let Some(body) = &op.body {
            body.ty.names(&mut roots);
        }
        if let Answer::Json(ty) | Answer::Page(ty) = &op.answer {
            ty.names(&mut roots);
        }
        stack.extend(roots);
        while let Some(name) = stack.pop() {
            let Some(model) = models.get(&name) else {
                continue;
            };
            if !tags
                .entry(name.clone())
                .or_default()
                .insert(feature.clone())
            {
                continue;
            }
            let mut next = BTreeSet::new();
            match &model.shape {
                Shape::Struct { fields } => fields.iter().for_each(|f| f.ty.names(&mut next)),
                Shape::Union { variants, .. } => {
                    variants.iter().for_each(|v| v.ty.names(&mut next))
                }
                Shape::Enum { .. } => {}
            }
            stack.extend(next);
        }
    }
    tags
}

/// Replaces every `.rs` file of `dir` with `files`, so a model that is gone leaves no file.
fn replace_dir(dir: &Path, files: &BTreeMap<String, String>) -> Result<Vec<PathBuf>, String> {
    let io = |error: std::io::Error| format!("{}: {error}", dir.display());
    std::fs::create_dir_all(dir).map_err(io)?;
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.extension().is_some_and(|e| e == "rs") {
            std::fs::remove_file(&path).map_err(io)?;
        }
    }
    let mut written = Vec::new();
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(io)?;
        written.push(path);
    }
    Ok(written)
}

/// Writes one generated file, creating its directory.
fn write_file(path: &Path, text: &str) -> Result<PathBuf, String> {
    let io = |error: std::io::Error| format!("{}: {error}", path.display());
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    std::fs::write(path, text).map_err(io)?;
    Ok(path.to_owned())
}

fn rustfmt(files: &[PathBuf]) -> Result<(), String> {
    for chunk in files.chunks(200) {
        let status = Command::new("rustfmt")
            .args(["--edition", "2021"])
            .args(chunk)
            .status()
            .map_err(|error| format!("cannot run rustfmt: {error}"))?;
        if !status.success() {
            return Err("rustfmt failed on the generated code".to_owned());
        }
    }
    Ok(())
}
