//! The path template of an endpoint: `/groups/<group_id>/clusters/<cluster_name>`.
//!
//! A template is relative to the API prefix, starts with `/`, and names path parameters with
//! `<snake_name>` placeholders, each starting a path segment (literal text such as `:verb` or
//! `.gz` may follow it in the segment) and each bound to the method argument of that name.
//! The empty template is the API root itself. Parsing never stops at the first mistake: it returns what it understood and
//! every problem it found, so the user sees all of them at once.

use crate::case::camel_to_snake;

/// A parsed template. `errors` is empty when the template is valid.
pub(crate) struct Template {
    pub segments: Vec<Segment>,
    pub errors: Vec<String>,
}

/// One piece of a template.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Segment {
    /// Text copied as written, e.g. `/groups/`.
    Literal(String),
    /// A placeholder, by its snake_case name, e.g. `group_id`.
    Param(String),
}

impl Template {
    pub fn parse(src: &str) -> Self {
        let mut parser = Parser {
            src,
            segments: Vec::new(),
            errors: Vec::new(),
            literal: String::new(),
        };
        parser.check_shape();
        parser.scan();
        let Parser {
            mut segments,
            errors,
            literal,
            ..
        } = parser;
        if !literal.is_empty() {
            segments.push(Segment::Literal(literal));
        }
        Template { segments, errors }
    }

    /// The placeholder names, in template order.
    pub fn placeholders(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|segment| match segment {
            Segment::Param(name) => Some(name.as_str()),
            Segment::Literal(_) => None,
        })
    }
}

struct Parser<'a> {
    src: &'a str,
    segments: Vec<Segment>,
    errors: Vec<String>,
    literal: String,
}

impl Parser<'_> {
    /// The rules about the whole string: leading `/`, no query string or fragment, no spaces,
    /// no `{spec}` placeholders.
    fn check_shape(&mut self) {
        let src = self.src;
        // `""` is the API root itself (`GET /api/atlas/v2`, `getSystemStatus`).
        if src.is_empty() {
            return;
        }
        if src == "/" {
            self.errors.push(
                "the template `/` would add a trailing slash to the API prefix; write `\"\"` for the API root itself, `/api/atlas/v2`"
                    .to_owned(),
            );
            return;
        }
        if !src.starts_with('/') {
            self.errors.push(format!(
                "the template must start with `/`, as in `/{src}`; it is relative to the API prefix"
            ));
        }
        if src.contains('?') {
            self.errors.push(
                "the template must not contain `?`; declare query parameters as `#[query]` arguments"
                    .to_owned(),
            );
        }
        if src.contains('#') {
            self.errors.push(
                "the template must not contain `#`; a fragment is never sent to the server"
                    .to_owned(),
            );
        }
        if src.chars().any(char::is_whitespace) {
            self.errors.push(
                "the template must not contain whitespace; path values go in `<placeholder>` arguments"
                    .to_owned(),
            );
        }
        if let Some(open) = src.find('{') {
            let rest = &src[open + 1..];
            let inner = rest.find('}').map_or(rest, |close| &rest[..close]);
            let snake = camel_to_snake(inner);
            let snake = if is_snake_name(&snake) {
                snake
            } else {
                "group_id".to_owned()
            };
            self.errors.push(format!(
                "write placeholders as `<snake_name>`, not as in the spec: `<{snake}>` instead of `{{{inner}}}`"
            ));
        }
    }

    fn scan(&mut self) {
        let src = self.src;
        let mut rest = src;
        while let Some(at) = rest.find(['<', '>']) {
            self.literal.push_str(&rest[..at]);
            let offset = src.len() - rest.len() + at;
            if rest[at..].starts_with('>') {
                self.errors.push(
                    "unmatched `>` in the template; placeholders are written `<name>`".to_owned(),
                );
                self.literal.push('>');
                rest = &rest[at + 1..];
                continue;
            }
            let after = &rest[at + 1..];
            match after.find(['<', '>']) {
                None => {
                    self.errors.push(format!(
                        "unclosed placeholder `<{after}`; close it with `>`"
                    ));
                    rest = "";
                }
                Some(end) if after[end..].starts_with('<') => {
                    self.errors.push(format!(
                        "unclosed placeholder `<{}` before the next `<`; placeholders do not nest",
                        &after[..end]
                    ));
                    rest = &after[end..];
                }
                Some(end) => {
                    self.placeholder(offset, &after[..end]);
                    rest = &after[end + 1..];
                }
            }
        }
        self.literal.push_str(rest);
    }

    /// A closed placeholder `<name>` that starts at byte `offset` of the template.
    fn placeholder(&mut self, offset: usize, name: &str) {
        if name.is_empty() {
            self.errors.push(
                "empty placeholder `<>`; name the argument it binds, e.g. `<group_id>`".to_owned(),
            );
            return;
        }
        if !is_snake_name(name) {
            let snake = camel_to_snake(name);
            let hint = if is_snake_name(&snake) {
                format!("write `<{snake}>`")
            } else {
                "write a lowercase snake_case argument name such as `<group_id>`".to_owned()
            };
            self.errors
                .push(format!("invalid placeholder `<{name}>`; {hint}"));
            return;
        }
        let src = self.src;
        let end = offset + name.len() + 2;
        // A placeholder starts its segment; literal text may follow it in the same segment
        // (`<cluster_name>:pinFeatureCompatibilityVersion`, `<log_name>.gz`), as the spec has.
        if !src[..offset].ends_with('/') {
            let start = src[..offset].rfind('/').map_or(0, |slash| slash + 1);
            let stop = src[end..].find('/').map_or(src.len(), |slash| end + slash);
            self.errors.push(format!(
                "placeholder `<{name}>` must start a path segment, as in `/<{name}>` or `/<{name}>:verb`, not follow text in `{}`",
                &src[start..stop]
            ));
            return;
        }
        if self
            .segments
            .iter()
            .any(|segment| *segment == Segment::Param(name.to_owned()))
        {
            self.errors.push(format!(
                "duplicate placeholder `<{name}>`; each argument fills one placeholder"
            ));
            return;
        }
        if !self.literal.is_empty() {
            let literal = std::mem::take(&mut self.literal);
            self.segments.push(Segment::Literal(literal));
        }
        self.segments.push(Segment::Param(name.to_owned()));
    }
}

/// `[a-z_][a-z0-9_]*`: the names placeholders may use.
pub(crate) fn is_snake_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|first| first.is_ascii_lowercase() || first == '_')
        && chars.all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
}

#[cfg(test)]
mod tests {
    use super::{Segment, Template};

    fn ok(src: &str) -> Vec<Segment> {
        let template = Template::parse(src);
        assert!(
            template.errors.is_empty(),
            "{src}: unexpected errors {:?}",
            template.errors
        );
        template.segments
    }

    fn errors(src: &str) -> Vec<String> {
        let template = Template::parse(src);
        assert!(!template.errors.is_empty(), "{src}: expected an error");
        template.errors
    }

    /// The one error of `src`.
    fn one_error(src: &str) -> String {
        let errors = errors(src);
        assert_eq!(errors.len(), 1, "{src}: {errors:?}");
        errors.into_iter().next().unwrap_or_default()
    }

    fn lit(text: &str) -> Segment {
        Segment::Literal(text.to_owned())
    }

    fn param(name: &str) -> Segment {
        Segment::Param(name.to_owned())
    }

    #[test]
    fn splits_literals_and_placeholders() {
        assert_eq!(
            ok("/groups/<group_id>/serverless/<cluster_name>/backup/restoreJobs"),
            [
                lit("/groups/"),
                param("group_id"),
                lit("/serverless/"),
                param("cluster_name"),
                lit("/backup/restoreJobs"),
            ]
        );
    }

    #[test]
    fn placeholder_at_the_end() {
        assert_eq!(
            ok("/groups/<group_id>"),
            [lit("/groups/"), param("group_id")]
        );
        assert_eq!(ok("/<a>/<b>"), [lit("/"), param("a"), lit("/"), param("b")]);
    }

    #[test]
    fn literal_only() {
        assert_eq!(ok("/orgs"), [lit("/orgs")]);
        assert_eq!(ok(""), []);
        assert_eq!(ok("/groups/-/x.json"), [lit("/groups/-/x.json")]);
    }

    #[test]
    fn placeholders_in_order() {
        let template = Template::parse("/a/<x>/b/<y_2>/<_z>");
        assert!(template.errors.is_empty());
        assert_eq!(
            template.placeholders().collect::<Vec<_>>(),
            ["x", "y_2", "_z"]
        );
    }

    #[test]
    fn refuses_missing_leading_slash() {
        assert!(errors("groups/<group_id>")[0].contains("must start with `/`"));
        assert!(errors("/")[0].contains("write `\"\"` for the API root"));
    }

    #[test]
    fn refuses_query_and_fragment() {
        assert!(errors("/groups?x=1")[0].contains("`?`"));
        assert!(errors("/groups#top")[0].contains("`#`"));
        one_error("/groups/<group_id>?x=1");
        one_error("/groups/<group_id>#x");
    }

    #[test]
    fn refuses_spec_placeholders_and_suggests_snake_case() {
        let error = one_error("/groups/{groupId}/clusters");
        assert!(error.contains("`<group_id>` instead of `{groupId}`"));
    }

    #[test]
    fn refuses_empty_placeholder() {
        assert!(errors("/groups/<>")[0].contains("empty placeholder `<>`"));
    }

    #[test]
    fn refuses_malformed_placeholders() {
        for (template, message) in [
            ("/groups/<Group-Id>", "invalid placeholder `<Group-Id>`"),
            ("/groups/<groupId>", "write `<group_id>`"),
            ("/groups/<9id>", "invalid placeholder `<9id>`"),
            ("/groups/<group_id", "unclosed placeholder `<group_id`"),
            ("/groups/group_id>", "unmatched `>`"),
            ("/groups/<a<b>", "do not nest"),
        ] {
            let first = &errors(template)[0];
            assert!(first.contains(message), "{template}: {first}");
        }
    }

    #[test]
    fn a_literal_suffix_may_follow_a_placeholder() {
        assert_eq!(
            ok("/groups/<group_id>/clusters/<cluster_name>:pinFeatureCompatibilityVersion"),
            [
                lit("/groups/"),
                param("group_id"),
                lit("/clusters/"),
                param("cluster_name"),
                lit(":pinFeatureCompatibilityVersion"),
            ]
        );
        assert_eq!(
            ok("/logs/<log_name>.gz/x"),
            [lit("/logs/"), param("log_name"), lit(".gz/x")]
        );
    }

    #[test]
    fn refuses_placeholders_after_text() {
        let error = one_error("/v<version>/x");
        assert!(error.contains("must start a path segment"), "{error}");
        assert!(error.contains("`v<version>`"));
        let error = one_error("/a/<b><c>");
        assert!(error.contains("`<c>`"), "{error}");
    }

    #[test]
    fn refuses_duplicate_placeholders() {
        let error = one_error("/groups/<group_id>/x/<group_id>");
        assert!(error.contains("duplicate placeholder `<group_id>`"));
    }

    #[test]
    fn reports_every_problem() {
        let template = Template::parse("groups/<>/<Bad>/<ok>/<ok>?q");
        assert_eq!(template.errors.len(), 5, "{:?}", template.errors);
        assert_eq!(template.placeholders().collect::<Vec<_>>(), ["ok"]);
    }
}
