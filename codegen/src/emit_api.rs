//! Writes `src/api/`: one file per spec tag, holding its trait of `#[atlas_endpoint]`
//! declarations, and a `mod.rs` that compiles each under the tag's feature.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::Ty;
use crate::naming;
use crate::operations::{Answer, Operation, Param, Place, PREFIX};
use crate::render::{doc_lines, GENERATED};

const REFERENCE: &str = "https://www.mongodb.com/docs/atlas/reference/api-resources-spec/v2";

pub fn files(ops: &[Operation], by_id: &BTreeMap<String, &Operation>) -> BTreeMap<String, String> {
    let mut by_tag: BTreeMap<&str, Vec<&Operation>> = BTreeMap::new();
    for op in ops {
        by_tag.entry(op.tag.as_str()).or_default().push(op);
    }
    let mut files = BTreeMap::new();
    let mut index = String::from(GENERATED);
    index.push_str(
        "//! The operations of the Atlas Administration API: one trait per tag of the spec, \
         each\n//! behind the Cargo feature of that tag and implemented for [`Client`](crate::Client).\n\n",
    );
    let mut prelude = String::new();
    for (tag, ops) in &by_tag {
        let module = naming::tag_module(tag);
        let feature = naming::tag_feature(tag);
        let name = naming::tag_trait(tag);
        index.push_str(&format!("#[cfg(feature = {feature:?})]\nmod {module};\n"));
        index.push_str(&format!(
            "#[cfg(feature = {feature:?})]\npub use {module}::{name};\n"
        ));
        prelude.push_str(&format!(
            "    #[cfg(feature = {feature:?})]\n    pub use super::{name};\n"
        ));
        files.insert(format!("{module}.rs"), tag_file(tag, ops, by_id));
    }
    index.push_str(
        "\n/// `use atlas_endpoints::prelude::*;` brings the client and the trait of every \
         enabled tag.\npub mod prelude {\n    pub use crate::{AtlasClient, Client};\n",
    );
    index.push_str(&prelude);
    index.push_str("}\n");
    files.insert("mod.rs".to_owned(), index);
    files
}

fn tag_file(tag: &str, ops: &[&Operation], by_id: &BTreeMap<String, &Operation>) -> String {
    let name = naming::tag_trait(tag);
    let mut models = BTreeSet::new();
    let mut runtime = BTreeSet::from(["AtlasClient", "Client", "atlas_endpoint"]);
    for op in ops {
        for ty in op.body.iter().map(|b| &b.ty).chain(match &op.answer {
            Answer::Json(ty) | Answer::Page(ty) => Some(ty),
            _ => None,
        }) {
            ty.names(&mut models);
        }
        if let Some(wait) = &op.wait {
            models.extend(wait.models.iter().cloned());
            runtime.insert(if wait.waiter.starts_with("WaitForGone<") {
                "WaitForGone"
            } else {
                "WaitFor"
            });
        }
        runtime.insert(match (&op.answer, &op.paging) {
            (Answer::Page(_), Some(_)) if op.method == "GET" => "Paginated",
            _ => "Call",
        });
        match &op.answer {
            Answer::Page(_) if op.method != "GET" => {
                runtime.insert("Page");
            }
            Answer::Nothing => {
                runtime.insert("NoContent");
            }
            Answer::Download(_) => {
                runtime.insert("Download");
            }
            _ => {}
        }
    }
    // A model named like the trait is written with its path.
    let models: Vec<String> = models
        .into_iter()
        .filter(|m| !m.contains("::") && *m != name)
        .collect();
    let qualify = |model: &str| {
        if model == name {
            format!("crate::models::{model}")
        } else {
            model.to_owned()
        }
    };
    let mut out = String::from(GENERATED);
    out.push_str(&format!(
        "\n//! The `{tag}` operations ({} of them).\n",
        ops.len()
    ));
    // Optional query parameters are positional arguments, as a hand-written declaration has
    // them; some operations take more than seven.
    out.push_str("\n#![allow(clippy::too_many_arguments)]\n\n");
    if !models.is_empty() {
        out.push_str(&format!("use crate::models::{{{}}};\n", models.join(", ")));
    }
    out.push_str(&format!(
        "use crate::{{{}}};\n\n",
        runtime.into_iter().collect::<Vec<_>>().join(", ")
    ));
    let anchor = tag.replace(' ', "-");
    out.push_str(&doc_lines(
        &format!(
            "The operations of the tag [`{tag}`]({REFERENCE}/#tag/{anchor}).\n\n\
             `AtlasClient` as supertrait lets generic code (`impl {name}`) call the methods."
        ),
        "",
    ));
    out.push_str(&format!("pub trait {name}: AtlasClient {{\n"));
    for (i, op) in ops.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&declaration(op, by_id, &qualify));
    }
    out.push_str("}\n\n");
    out.push_str(&format!("impl {name} for Client {{}}\n"));
    out
}

fn declaration(
    op: &Operation,
    by_id: &BTreeMap<String, &Operation>,
    qualify: &dyn Fn(&str) -> String,
) -> String {
    let mut doc = format!(
        "`{} {PREFIX}{}` (`{}`), version `{}`.",
        op.method, op.path, op.id, op.version
    );
    let older: Vec<&String> = op.versions.iter().filter(|v| **v != op.version).collect();
    if !older.is_empty() {
        doc.push_str(&format!(
            " Atlas also offers {}.",
            crate::render::in_backticks(&older, ", ")
        ));
    }
    let mut facts = Vec::new();
    if let Some(paging) = &op.paging {
        facts.push(if paging.include_count {
            "Pages through `results`, with `totalCount`.".to_owned()
        } else {
            "Pages through `results`, without `includeCount`.".to_owned()
        });
    }
    if op.unauthenticated {
        facts.push("Sent without credentials.".to_owned());
    }
    if let Some(arg) = op.serialize_by {
        facts.push(format!(
            "Calls of one client with the same `{arg}` are sent one at a time."
        ));
    }
    if !op.roles.is_empty() {
        facts.push(format!("Roles: {}.", op.roles.join(", ")));
    }

    if let Some(sunset) = &op.sunset {
        facts.push(format!("Version `{}` sunsets on {sunset}.", op.version));
    }
    if !facts.is_empty() {
        doc.push_str("\n\n");
        doc.push_str(&facts.join(" "));
    }
    if let Some(wait) = &op.wait {
        doc.push_str("\n\n");
        doc.push_str(&wait.doc);
    }
    if let Some(url) = &op.docs_url {
        doc.push_str(&format!("\n\n[Reference]({url})"));
    }
    let mut out = doc_lines(&doc, "    ");

    let mut options = vec![op.method.clone(), format!("{:?}", op.template)];
    options.push(format!("operation_id = {:?}", op.id));
    options.push(format!("version = {:?}", op.version));
    if let Some(paging) = &op.paging {
        let mut inner = Vec::new();
        if !paging.include_count {
            inner.push("include_count = false".to_owned());
        }
        match paging.max_items_per_page {
            None => inner.push("max_items_per_page = none".to_owned()),
            Some(500) => {}
            Some(n) => inner.push(format!("max_items_per_page = {n}")),
        }
        options.push(if inner.is_empty() {
            "paginated".to_owned()
        } else {
            format!("paginated({})", inner.join(", "))
        });
    }
    if !(op.envelope && op.pretty && !op.envelope_default_true) {
        let mut common = Vec::new();
        if op.envelope {
            common.push(if op.envelope_default_true {
                "envelope(default = true)"
            } else {
                "envelope"
            });
        }
        if op.pretty {
            common.push("pretty");
        }
        options.push(format!("common({})", common.join(", ")));
    }
    if let Answer::Download(format) = &op.answer {
        options.push(format!("format = {format:?}"));
    }
    if op.unauthenticated {
        options.push("unauthenticated".to_owned());
    }
    if let Some(arg) = op.serialize_by {
        options.push(format!("serialize_by({arg})"));
    }
    if let Some(sunset) = &op.sunset {
        options.push(format!("sunset = {sunset:?}"));
    }

    if op.deprecated || op.sunset.is_some() {
        let mut note = String::from("deprecated in the Atlas spec");
        if let Some(sunset) = &op.sunset {
            note = format!("version {} sunsets on {sunset}", op.version);
        }
        if let Some(replacement) = op
            .replacement
            .as_deref()
            .and_then(|link| replacement(link, by_id))
        {
            note.push_str(&format!(
                "; use {}::{} ({} {})",
                naming::tag_trait(&replacement.tag),
                replacement.method_name,
                replacement.method,
                replacement.path
            ));
        } else if op.sunset.is_some() {
            note.push_str("; the spec names no replacement");
        }
        options.push(format!("deprecated = {note:?}"));
    }
    match &op.wait {
        None => out.push_str(&format!("    #[atlas_endpoint({})]\n", options.join(", "))),
        // rustfmt leaves an attribute it cannot read as a list of metas (`state = f: E`) as
        // written, so this one is laid out here as rustfmt lays out the others.
        Some(wait) => {
            out.push_str("    #[atlas_endpoint(\n");
            for option in &options {
                out.push_str(&format!("        {option},\n"));
            }
            out.push_str("        wait(\n");
            for item in &wait.items {
                out.push_str(&format!("            {item},\n"));
            }
            out.push_str("        )\n    )]\n");
        }
    }

    let mut args = vec!["&self".to_owned()];
    for param in &op.params {
        args.push(argument(param));
    }
    if let Some(body) = &op.body {
        let ty = match &body.ty {
            Ty::Vec(item) => format!("&[{}]", item.render_with(false, qualify)),
            ty => format!("&{}", ty.render_with(false, qualify)),
        };
        args.push(if body.required {
            format!("#[body] body: {ty}")
        } else {
            format!("#[body] body: Option<{ty}>")
        });
    }
    let answer = match (&op.answer, &op.paging) {
        (Answer::Page(item), Some(_)) if op.method == "GET" => {
            format!("Paginated<{}>", item.render_with(false, qualify))
        }
        (Answer::Page(item), _) => format!("Call<Page<{}>>", item.render_with(false, qualify)),
        (Answer::Json(ty), _) => match &op.wait {
            Some(wait) => format!("Call<{}, {}>", ty.render_with(false, qualify), wait.waiter),
            None => format!("Call<{}>", ty.render_with(false, qualify)),
        },
        (Answer::Nothing, _) => match &op.wait {
            Some(wait) => format!("Call<NoContent, {}>", wait.waiter),
            None => "Call<NoContent>".to_owned(),
        },
        (Answer::Download(_), _) => "Call<Download>".to_owned(),
    };
    out.push_str(&format!(
        "    fn {}({}) -> {answer};\n",
        op.method_name,
        args.join(", ")
    ));
    out
}

/// Operation names the spec's deprecation links use that are neither an operation id nor an
/// override today, and the operation each means.
const LINKED_NAMES: &[(&str, &str)] = &[
    (
        "listFlexBackupRestoreJobs",
        "listGroupFlexClusterBackupRestoreJobs",
    ),
    (
        "createFlexBackupRestoreJob",
        "createGroupFlexClusterBackupRestoreJob",
    ),
    (
        "getFlexBackupRestoreJob",
        "getGroupFlexClusterBackupRestoreJob",
    ),
    ("listFlexBackups", "listGroupFlexClusterBackupSnapshots"),
    ("getFlexBackup", "getGroupFlexClusterBackupSnapshot"),
    ("listOrganizationUsers", "listOrgUsers"),
    ("getOrganizationUser", "getOrgUser"),
    ("createOrganizationUser", "createOrgUser"),
    ("updateOrganizationUser", "updateOrgUser"),
    ("removeOrganizationUser", "removeOrgUser"),
    ("validateMigration", "validateGroupLiveMigrations"),
    ("upgradeFlexCluster", "tenantGroupFlexClusterUpgrade"),
];

/// The operation a deprecation link names: by operation id, by override, or by the table.
fn replacement<'a>(link: &str, by_id: &BTreeMap<String, &'a Operation>) -> Option<&'a Operation> {
    if let Some(op) = by_id.get(link) {
        return Some(op);
    }
    let method = naming::snake(link);
    if let Some(op) = by_id.values().find(|op| op.method_name == method) {
        return Some(op);
    }
    let (_, id) = LINKED_NAMES.iter().find(|(name, _)| *name == link)?;
    by_id.get(*id).copied()
}

fn argument(param: &Param) -> String {
    let mut options = Vec::new();
    let default_wire = match param.place {
        Place::Header => snake_to_header(&param.rust),
        _ => naming::macro_camel(&param.rust),
    };
    if default_wire != param.wire {
        options.push(format!("rename = {:?}", param.wire));
    }
    if let Some(pattern) = &param.pattern {
        options.push(format!("pattern = {}", literal(pattern)));
    }
    if let Some(min) = &param.min {
        options.push(format!("min = {min}"));
    }
    if let Some(max) = &param.max {
        options.push(format!("max = {max}"));
    }
    if let Some(n) = param.min_items {
        options.push(format!("min_items = {n}"));
    }
    if let Some(n) = param.max_items {
        options.push(format!("max_items = {n}"));
    }
    if !param.one_of.is_empty() {
        let values: Vec<String> = param.one_of.iter().map(|v| format!("{v:?}")).collect();
        options.push(format!("one_of({})", values.join(", ")));
    }
    let marker = match param.place {
        Place::Path => "path",
        Place::Query => "query",
        Place::Header => "header",
    };
    let attr = match (param.place, options.is_empty()) {
        (Place::Path, true) => String::new(),
        (_, true) => format!("#[{marker}] "),
        (_, false) => format!("#[{marker}({})] ", options.join(", ")),
    };
    format!("{attr}{}: {}", param.rust, param.ty)
}

/// A raw string literal where the text allows one (patterns read better without escapes).
fn literal(text: &str) -> String {
    if text.contains('"') {
        format!("{text:?}")
    } else {
        format!("r\"{text}\"")
    }
}

/// What the macro takes for a header's name: `use_effective_fields` → `Use-Effective-Fields`.
fn snake_to_header(snake: &str) -> String {
    naming::unraw(snake)
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join("-")
}
