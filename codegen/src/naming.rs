//! How spec names become Rust names: one rule each, written down here and in README.

use heck::{ToSnakeCase, ToUpperCamelCase};

#[path = "../../macros/src/case.rs"]
#[allow(dead_code)] // the macro's other spellings (headers, suggestions) are its own
mod macro_case;

/// Words Rust reserves; a field or argument with such a name is written `r#name`.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop",
    "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "static",
    "struct", "super", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// `groupId` → `group_id`, `mongoDBVersion` → `mongo_db_version`, `type` → `r#type`,
/// `2dsphereIndexVersion` → `n2dsphere_index_version`.
pub fn snake(name: &str) -> String {
    let mut snake = name.to_snake_case();
    if snake.is_empty() {
        snake.push_str("value");
    }
    if snake.starts_with(|c: char| c.is_ascii_digit()) {
        snake.insert(0, 'n');
    }
    if ["self", "super", "crate", "Self"].contains(&snake.as_str()) {
        snake.push('_');
    } else if KEYWORDS.contains(&snake.as_str()) {
        snake.insert_str(0, "r#");
    }
    snake
}

/// The name without `r#`, as serde and the macro see it.
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// `clusterType` → `ClusterType`, `M10` → `M10`, `3.6` → `V3_6`, `us-east-1` → `UsEast1`.
pub fn pascal(name: &str) -> String {
    let mut pascal = name.to_upper_camel_case();
    if pascal.starts_with(|c: char| c.is_ascii_digit()) {
        // Keep digits apart, so `3.6` and `36` stay different names.
        pascal = String::from("V");
        for part in name
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|p| !p.is_empty())
        {
            let digit_after_digit = pascal.ends_with(|c: char| c.is_ascii_digit())
                && part.starts_with(|c: char| c.is_ascii_digit());
            if digit_after_digit {
                pascal.push('_');
            }
            pascal.push_str(&part.to_upper_camel_case());
        }
    }
    if pascal.is_empty() {
        pascal.push_str("Empty");
    }
    if pascal == "Self" {
        pascal.push('_');
    }
    pascal
}

/// What serde's `rename_all = "camelCase"` makes of a snake_case field name.
pub fn serde_camel(snake: &str) -> String {
    let mut camel = String::new();
    let mut upper_next = false;
    for (i, ch) in unraw(snake).chars().enumerate() {
        if ch == '_' {
            if i > 0 {
                upper_next = true;
            }
        } else if upper_next {
            camel.extend(ch.to_uppercase());
            upper_next = false;
        } else {
            camel.push(ch);
        }
    }
    camel
}

/// What the macro makes of an argument name for the wire: the macro's own rule, compiled in
/// from its source so the two can never differ.
pub fn macro_camel(snake: &str) -> String {
    macro_case::snake_to_camel(unraw(snake))
}

/// A model's name: the schema's name in PascalCase without a trailing `View`
/// (`ApiAtlasSnapshotScheduleView` → `ApiAtlasSnapshotSchedule`).
pub fn model(schema: &str) -> String {
    let base = schema
        .strip_suffix("View")
        .filter(|b| !b.is_empty())
        .unwrap_or(schema);
    pascal(base)
}

/// The names of all models: [`model`], then without a version suffix
/// (`FlexBackupSnapshot20241113` → `FlexBackupSnapshot`) where no other schema has that
/// name.
pub fn models<'a>(
    schemas: impl Iterator<Item = &'a String> + Clone,
) -> std::collections::HashMap<String, String> {
    let bases: std::collections::HashSet<String> = schemas.clone().map(|s| model(s)).collect();
    schemas
        .map(|schema| {
            let base = model(schema);
            let digits = base.len() - base.trim_end_matches(|c: char| c.is_ascii_digit()).len();
            let stem = &base[..base.len() - digits];
            let name = if digits == 8 && !stem.is_empty() && !bases.contains(stem) {
                stem.to_owned()
            } else {
                base
            };
            (schema.clone(), name)
        })
        .collect()
}

/// A tag's module and feature names: `Cloud Backups` → `cloud_backups`, `cloud-backups`.
pub fn tag_module(tag: &str) -> String {
    tag.replace('.', "").to_snake_case()
}

pub fn tag_feature(tag: &str) -> String {
    tag_module(tag).replace('_', "-")
}

/// A tag's trait: `Cloud Backups` → `CloudBackups`, `X.509 Authentication` →
/// `X509Authentication`.
pub fn tag_trait(tag: &str) -> String {
    tag.replace('.', "").to_upper_camel_case()
}

/// The file (and module) of a model: its snake_case name, with `_model` after a Rust
/// keyword or `mod` (`Mod` → `mod_model.rs`, not the index `mod.rs`).
pub fn file(model: &str) -> String {
    let snake = snake(model);
    match snake.strip_prefix("r#") {
        Some(keyword) => format!("{keyword}_model"),
        None if snake == "mod"
            || snake.ends_with('_') && KEYWORDS.contains(&snake.trim_end_matches('_')) =>
        {
            format!("{}_model", snake.trim_end_matches('_'))
        }
        None => snake,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        type Naming = fn(&str) -> String;
        let cases: [(Naming, &str, &str); 11] = [
            (snake, "groupId", "group_id"),
            (snake, "mongoDBVersion", "mongo_db_version"),
            (snake, "type", "r#type"),
            (snake, "2dsphereIndexVersion", "n2dsphere_index_version"),
            (pascal, "3.6", "V3_6"),
            (pascal, "us-east-1", "UsEast1"),
            (serde_camel, "mongo_db_version", "mongoDbVersion"),
            (serde_camel, "r#type", "type"),
            (
                model,
                "ApiAtlasSnapshotScheduleView",
                "ApiAtlasSnapshotSchedule",
            ),
            (tag_trait, "X.509 Authentication", "X509Authentication"),
            (tag_feature, "Cloud Backups", "cloud-backups"),
        ];
        for (name, input, expected) in cases {
            assert_eq!(name(input), expected, "of {input:?}");
        }
    }
}
