//! The mapping between Rust argument names and the names the Atlas spec uses on the wire.
//!
//! Rust arguments are `snake_case` (`group_id`); the spec names path and query parameters in
//! `camelCase` (`groupId`). Only these two cases occur, so this is a dozen lines rather than a
//! dependency.

/// `group_id` → `groupId`, `name` → `name`, `include_count` → `includeCount`.
///
/// Underscores at either end are dropped (`type_` → `type`), and a name that is already
/// camelCase comes back unchanged.
pub(crate) fn snake_to_camel(snake: &str) -> String {
    let mut camel = String::with_capacity(snake.len());
    for word in snake.split('_').filter(|word| !word.is_empty()) {
        let mut chars = word.chars();
        if camel.is_empty() {
            camel.push_str(word);
        } else if let Some(first) = chars.next() {
            camel.extend(first.to_uppercase());
            camel.push_str(chars.as_str());
        }
    }
    camel
}

/// `use_effective_instance_fields` → `Use-Effective-Instance-Fields`: the default name of a
/// `#[header]` argument, in the Title-Case-With-Dashes the spec's headers use.
pub(crate) fn snake_to_header(snake: &str) -> String {
    let mut header = String::with_capacity(snake.len());
    for word in snake.split('_').filter(|word| !word.is_empty()) {
        if !header.is_empty() {
            header.push('-');
        }
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            header.extend(first.to_uppercase());
            header.push_str(chars.as_str());
        }
    }
    header
}

/// `groupId` → `group_id`, `clusterName` → `cluster_name`; used to suggest a placeholder when
/// a template is written the spec's way, with `{groupId}`.
pub(crate) fn camel_to_snake(camel: &str) -> String {
    let mut snake = String::with_capacity(camel.len() + 4);
    for (i, ch) in camel.char_indices() {
        if ch.is_ascii_uppercase() {
            if i > 0 && !snake.ends_with('_') {
                snake.push('_');
            }
            snake.push(ch.to_ascii_lowercase());
        } else if ch == '-' {
            snake.push('_');
        } else {
            snake.push(ch);
        }
    }
    snake
}

#[cfg(test)]
mod tests {
    use super::{camel_to_snake, snake_to_camel, snake_to_header};

    /// Each `(input, expected)` through `convert`, naming the input that fails.
    fn check(convert: fn(&str) -> String, cases: &[(&str, &str)]) {
        for (input, expected) in cases {
            assert_eq!(convert(input), *expected, "of {input:?}");
        }
    }

    #[test]
    fn snake_to_header_is_title_case_with_dashes() {
        check(
            snake_to_header,
            &[
                (
                    "use_effective_instance_fields",
                    "Use-Effective-Instance-Fields",
                ),
                ("x_note_", "X-Note"),
                ("accept", "Accept"),
            ],
        );
    }

    #[test]
    fn snake_to_camel_joins_words() {
        check(
            snake_to_camel,
            &[
                ("group_id", "groupId"),
                ("cluster_name", "clusterName"),
                ("include_deleted", "includeDeleted"),
                ("items_per_page", "itemsPerPage"),
            ],
        );
    }

    #[test]
    fn snake_to_camel_keeps_single_words() {
        check(
            snake_to_camel,
            &[("name", "name"), ("id", "id"), ("x", "x")],
        );
    }

    #[test]
    fn snake_to_camel_drops_outer_and_doubled_underscores() {
        check(
            snake_to_camel,
            &[
                ("type_", "type"),
                ("_hidden", "hidden"),
                ("a__b", "aB"),
                ("_", ""),
            ],
        );
    }

    #[test]
    fn snake_to_camel_keeps_digits_and_camel_input() {
        check(
            snake_to_camel,
            &[
                ("page_2_size", "page2Size"),
                ("v2_id", "v2Id"),
                ("groupId", "groupId"),
            ],
        );
    }

    #[test]
    fn camel_to_snake_splits_words() {
        check(
            camel_to_snake,
            &[
                ("groupId", "group_id"),
                ("clusterName", "cluster_name"),
                ("name", "name"),
                ("GroupId", "group_id"),
                ("restore-job-id", "restore_job_id"),
            ],
        );
    }

    #[test]
    fn round_trip() {
        for snake in ["group_id", "cluster_name", "name", "snapshot_id", "org_id"] {
            assert_eq!(camel_to_snake(&snake_to_camel(snake)), snake);
        }
    }
}
