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

    #[test]
    fn snake_to_header_is_title_case_with_dashes() {
        assert_eq!(
            snake_to_header("use_effective_instance_fields"),
            "Use-Effective-Instance-Fields"
        );
        assert_eq!(snake_to_header("x_note_"), "X-Note");
        assert_eq!(snake_to_header("accept"), "Accept");
    }

    #[test]
    fn snake_to_camel_joins_words() {
        assert_eq!(snake_to_camel("group_id"), "groupId");
        assert_eq!(snake_to_camel("cluster_name"), "clusterName");
        assert_eq!(snake_to_camel("include_deleted"), "includeDeleted");
        assert_eq!(snake_to_camel("items_per_page"), "itemsPerPage");
    }

    #[test]
    fn snake_to_camel_keeps_single_words() {
        assert_eq!(snake_to_camel("name"), "name");
        assert_eq!(snake_to_camel("id"), "id");
        assert_eq!(snake_to_camel("x"), "x");
    }

    #[test]
    fn snake_to_camel_drops_outer_and_doubled_underscores() {
        assert_eq!(snake_to_camel("type_"), "type");
        assert_eq!(snake_to_camel("_hidden"), "hidden");
        assert_eq!(snake_to_camel("a__b"), "aB");
        assert_eq!(snake_to_camel("_"), "");
    }

    #[test]
    fn snake_to_camel_keeps_digits_and_camel_input() {
        assert_eq!(snake_to_camel("page_2_size"), "page2Size");
        assert_eq!(snake_to_camel("v2_id"), "v2Id");
        assert_eq!(snake_to_camel("groupId"), "groupId");
    }

    #[test]
    fn camel_to_snake_splits_words() {
        assert_eq!(camel_to_snake("groupId"), "group_id");
        assert_eq!(camel_to_snake("clusterName"), "cluster_name");
        assert_eq!(camel_to_snake("name"), "name");
        assert_eq!(camel_to_snake("GroupId"), "group_id");
        assert_eq!(camel_to_snake("restore-job-id"), "restore_job_id");
    }

    #[test]
    fn round_trip() {
        for snake in ["group_id", "cluster_name", "name", "snapshot_id", "org_id"] {
            assert_eq!(camel_to_snake(&snake_to_camel(snake)), snake);
        }
    }
}
