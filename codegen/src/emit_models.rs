//! Writes `src/models/`: one file per spec schema (with the inline models it owns) and a
//! `mod.rs` that compiles each file only under the features of the operations that reach it.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Direction, Field, Model, Shape, Ty, Variant};
use crate::naming;
use crate::render::{cfg_any, doc_lines, GENERATED};

pub fn files(
    models: &BTreeMap<String, Model>,
    tags: &BTreeMap<String, BTreeSet<String>>,
) -> BTreeMap<String, String> {
    let mut by_file: BTreeMap<&str, Vec<&Model>> = BTreeMap::new();
    for model in models.values() {
        by_file.entry(model.file.as_str()).or_default().push(model);
    }
    let mut files = BTreeMap::new();
    let mut index = String::new();
    index.push_str(GENERATED);
    index.push_str(
        "//! The models of the Atlas Administration API: one type per schema the operations \
         reach,\n//! with the names and types the spec gives its fields.\n//!\n\
         //! A schema with read-only or write-only fields has a request and a response view \
         where it\n//! travels both ways (`Group` is read, `GroupRequest` is sent). Unknown enum \
         values are kept\n//! (`Other`), unknown union members too (`Unknown`), and unknown \
         fields are ignored.\n\n",
    );
    for (file, members) in &by_file {
        let features: BTreeSet<String> = members
            .iter()
            .flat_map(|m| tags.get(&m.name).into_iter().flatten().cloned())
            .collect();
        let cfg = cfg_any(&features);
        let names: Vec<&str> = members.iter().map(|m| m.name.as_str()).collect();
        index.push_str(&format!("{cfg}mod {};\n", module(file)));
        let list = if names.len() == 1 {
            names[0].to_owned()
        } else {
            format!("{{{}}}", names.join(", "))
        };
        index.push_str(&format!("{cfg}pub use {}::{list};\n", module(file)));
        files.insert(format!("{file}.rs"), model_file(members));
    }
    files.insert("mod.rs".to_owned(), index);
    files
}

fn module(file: &str) -> &str {
    file
}

fn model_file(models: &[&Model]) -> String {
    let mut body = String::new();
    let mut uses_siblings = false;
    let mut uses_enum = false;
    let own: BTreeSet<&str> = models.iter().map(|m| m.name.as_str()).collect();
    for model in models {
        let mut mentioned = BTreeSet::new();
        match &model.shape {
            Shape::Struct { fields } => fields.iter().for_each(|f| f.ty.names(&mut mentioned)),
            Shape::Union { variants, .. } => {
                variants.iter().for_each(|v| v.ty.names(&mut mentioned))
            }
            Shape::Enum { .. } => uses_enum = true,
        }
        uses_siblings |= mentioned
            .iter()
            .any(|n| !n.contains("::") && !own.contains(n.as_str()));
        body.push('\n');
        body.push_str(&match &model.shape {
            Shape::Struct { fields } => struct_item(model, fields),
            Shape::Enum { values } => enum_item(model, values),
            Shape::Union { tag, variants } => union_item(model, tag.as_deref(), variants),
        });
    }
    let mut out = String::from(GENERATED);
    if uses_siblings {
        out.push_str("\nuse super::*;\n");
    }
    if uses_enum {
        out.push_str("\nuse crate::open_enum::open_enum;\n");
    }
    out.push_str(&body);
    out
}

fn origin_doc(model: &Model) -> String {
    let view = match model.direction {
        Some(Direction::Request) => ", as it is sent",
        Some(Direction::Response) => ", as Atlas answers it",
        None => "",
    };
    format!("Schema `{}` of the Atlas spec{view}.", model.origin)
}

fn struct_item(model: &Model, fields: &[Field]) -> String {
    let mut out = doc_lines(&origin_doc(model), "");
    let sent = model.direction != Some(Direction::Response);
    // A model sent with nothing required starts empty, as `new()` or `Default`.
    let default = if sent && fields.iter().all(|f| !f.required || f.clearable) {
        "Default, "
    } else {
        ""
    };
    out.push_str(&format!(
        "#[derive(Debug, Clone, {default}PartialEq, serde::Serialize, serde::Deserialize)]\n"
    ));
    out.push_str("#[serde(rename_all = \"camelCase\")]\n#[non_exhaustive]\n");
    out.push_str(&format!("pub struct {} {{\n", model.name));
    for field in fields {
        let mut facts = vec![format!("`{}`", field.wire)];
        if field.required {
            facts.push("required".to_owned());
        }
        if field.clearable {
            facts.push("`Some(None)` sends `null`".to_owned());
        }
        facts.extend(field.facts.iter().cloned());
        out.push_str(&doc_lines(&facts.join(", "), "    "));
        if naming::serde_camel(&field.rust) != field.wire {
            out.push_str(&format!("    #[serde(rename = {:?})]\n", field.wire));
        }
        let inner = field.ty.render(field.boxed);
        let ty = if field.clearable {
            out.push_str(
                "    #[serde(default, skip_serializing_if = \"Option::is_none\", \
                 deserialize_with = \"crate::model_support::explicit_null\")]\n",
            );
            format!("Option<Option<{inner}>>")
        } else if field.required {
            inner
        } else if model.direction == Some(Direction::Response) && matches!(field.ty, Ty::Vec(_)) {
            // What Atlas answers: an absent array reads as empty.
            out.push_str("    #[serde(default, skip_serializing_if = \"Vec::is_empty\")]\n");
            inner
        } else {
            out.push_str("    #[serde(default, skip_serializing_if = \"Option::is_none\")]\n");
            format!("Option<{inner}>")
        };
        out.push_str(&format!("    pub {}: {ty},\n", field.rust));
    }
    out.push_str("}\n");
    if model.direction != Some(Direction::Response) {
        out.push_str(&constructor(model, fields));
    }
    out
}

/// `new` with the required fields; the others start as `None`.
fn constructor(model: &Model, fields: &[Field]) -> String {
    let required: Vec<&Field> = fields
        .iter()
        .filter(|f| f.required && !f.clearable)
        .collect();
    // Text fields take anything that becomes a `String` (`&str` included).
    let is_text = |f: &Field| !f.boxed && f.ty == Ty::Plain("String");
    let args: Vec<String> = required
        .iter()
        .map(|f| match is_text(f) {
            true => format!("{}: impl Into<String>", f.rust),
            false => format!("{}: {}", f.rust, f.ty.render(f.boxed)),
        })
        .collect();
    let mut inits = Vec::new();
    for field in fields {
        if field.required && !field.clearable && is_text(field) {
            inits.push(format!(
                "            {}: {}.into(),\n",
                field.rust, field.rust
            ));
        } else if field.required && !field.clearable {
            inits.push(format!("            {},\n", field.rust));
        } else {
            inits.push(format!("            {}: None,\n", field.rust));
        }
    }
    let doc = if required.is_empty() {
        "A value with every field unset.".to_owned()
    } else {
        format!(
            "A value with the required fields ({}); the others unset.",
            crate::render::in_backticks(
                &required.iter().map(|f| &f.wire).collect::<Vec<_>>(),
                ", "
            )
        )
    };
    let lint = if args.len() > 7 {
        "    #[allow(clippy::too_many_arguments)]\n"
    } else {
        ""
    };
    format!(
        "\nimpl {name} {{\n{doc}{lint}    pub fn new({args}) -> Self {{\n        Self {{\n{inits}        }}\n    }}\n}}\n",
        name = model.name,
        doc = doc_lines(&doc, "    "),
        args = args.join(", "),
        inits = inits.concat(),
    )
}

fn enum_item(model: &Model, values: &[(String, String)]) -> String {
    let mut out = String::from("open_enum! {\n");
    out.push_str(&doc_lines(
        &format!("Values of `{}` in the Atlas spec.", model.origin),
        "    ",
    ));
    out.push_str(&format!("    pub enum {} {{\n", model.name));
    for (variant, value) in values {
        out.push_str(&doc_lines(&format!("`{value}`"), "        "));
        out.push_str(&format!("        {variant} = {value:?},\n"));
    }
    out.push_str("    }\n}\n");
    out
}

fn union_item(model: &Model, tag: Option<&str>, variants: &[Variant]) -> String {
    let mut out = doc_lines(&origin_doc(model), "");
    match tag {
        Some(tag) => {
            out.push_str(&format!("///\n/// Chosen by the value of `{tag}`.\n"));
            out.push_str("#[derive(Debug, Clone, PartialEq, serde::Serialize)]\n");
        }
        None => {
            out.push_str("///\n/// The variant that decodes keeping the most fields.\n");
            out.push_str("#[derive(Debug, Clone, PartialEq, serde::Serialize)]\n");
        }
    }
    // Variants hold their models by value; `Unknown` is small beside them, and boxing every
    // variant would cost each user a `Box` to match through.
    out.push_str("#[serde(untagged)]\n#[non_exhaustive]\n#[allow(clippy::large_enum_variant)]\n");
    out.push_str(&format!("pub enum {} {{\n", model.name));
    for variant in variants {
        let doc = match tag {
            Some(tag) if variant.tags.len() > 6 => {
                format!("`{tag}` is one of {} values.", variant.tags.len())
            }
            Some(tag) => format!(
                "`{tag}` is {}.",
                crate::render::in_backticks(&variant.tags, " or ")
            ),
            None => format!("A `{}`.", variant.ty.render(false)),
        };
        out.push_str(&doc_lines(&doc, "    "));
        out.push_str(&format!(
            "    {}({}),\n",
            variant.name,
            variant.ty.render(variant.boxed)
        ));
    }
    let unknown = match tag {
        Some(tag) => format!("Any other `{tag}`, as Atlas sent it."),
        None => "A value no variant decodes, as Atlas sent it.".to_owned(),
    };
    out.push_str(&doc_lines(&unknown, "    "));
    out.push_str("    Unknown(serde_json::Value),\n}\n");
    if tag.is_none() {
        let names: Vec<&str> = variants.iter().map(|v| v.name.as_str()).collect();
        out.push_str(&format!(
            "\ncrate::model_support::deserialize_best_fit!({}, {});\n",
            model.name,
            names.join(", ")
        ));
    }
    if let Some(tag) = tag {
        out.push_str(&format!(
            "\ncrate::model_support::deserialize_by_tag! {{\n    {}, {tag:?},\n",
            model.name
        ));
        for variant in variants {
            let tags: Vec<String> = variant.tags.iter().map(|t| format!("{t:?}")).collect();
            out.push_str(&format!("    {} => {},\n", tags.join(" | "), variant.name));
        }
        out.push_str("}\n");
    }
    out
}
