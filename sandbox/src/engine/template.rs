//! Path templates (`/groups/{groupId}/clusters/{clusterName}:pause`) and matching a raw
//! request path against them.

use crate::checks::percent_decode;

/// One segment of a template: a literal, or a parameter with the literal text around it
/// (`{clusterName}:pause` has the suffix `:pause`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    Literal(String),
    Param {
        prefix: String,
        name: String,
        suffix: String,
    },
}

/// A parsed path template.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Template {
    pub segments: Vec<Segment>,
}

impl Template {
    pub fn parse(path: &str) -> Template {
        let segments = path
            .trim_start_matches('/')
            .split('/')
            .map(|segment| match (segment.find('{'), segment.find('}')) {
                (Some(open), Some(close)) if open < close => Segment::Param {
                    prefix: segment[..open].to_owned(),
                    name: segment[open + 1..close].to_owned(),
                    suffix: segment[close + 1..].to_owned(),
                },
                _ => Segment::Literal(segment.to_owned()),
            })
            .collect();
        Template { segments }
    }

    /// The parameters' values if `raw` (a path as received, still percent-encoded) fits,
    /// and how specific the fit is: literal text counts, so `/clusters/tenantUpgrade`
    /// wins over `/clusters/{clusterName}`.
    pub fn matches(&self, raw: &[&str]) -> Option<(usize, Vec<(String, String)>)> {
        if raw.len() != self.segments.len() {
            return None;
        }
        let mut score = 0;
        let mut values = Vec::new();
        for (segment, raw) in self.segments.iter().zip(raw) {
            match segment {
                Segment::Literal(text) => {
                    if text != raw {
                        return None;
                    }
                    score += 2 + text.len();
                }
                Segment::Param {
                    prefix,
                    name,
                    suffix,
                } => {
                    let inner = raw.strip_prefix(prefix.as_str())?;
                    let inner = inner.strip_suffix(suffix.as_str())?;
                    if inner.is_empty() {
                        return None;
                    }
                    score += prefix.len() + suffix.len();
                    values.push((name.clone(), percent_decode(inner, false)));
                }
            }
        }
        Some((score, values))
    }

    /// The names of the parameters, in order.
    pub fn param_names(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|segment| match segment {
            Segment::Param { name, .. } => Some(name.as_str()),
            Segment::Literal(_) => None,
        })
    }

    /// Whether the last segment is a bare parameter (`.../clusters/{clusterName}`).
    pub fn ends_in_param(&self) -> bool {
        matches!(self.segments.last(), Some(Segment::Param { prefix, suffix, .. }) if prefix.is_empty() && suffix.is_empty())
    }
}

/// The segments of a raw path.
pub(crate) fn split(path: &str) -> Vec<&str> {
    path.trim_start_matches('/').split('/').collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_text_wins_and_values_are_decoded() {
        let item = Template::parse("/api/atlas/v2/groups/{groupId}/clusters/{clusterName}");
        let action = Template::parse("/api/atlas/v2/groups/{groupId}/clusters/tenantUpgrade");
        let raw = split("/api/atlas/v2/groups/abc/clusters/tenantUpgrade");
        let (item_score, _) = item.matches(&raw).expect("item fits");
        let (action_score, _) = action.matches(&raw).expect("action fits");
        assert!(action_score > item_score);

        let user = Template::parse(
            "/api/atlas/v2/groups/{groupId}/databaseUsers/{databaseName}/{username}",
        );
        let raw = split(
            "/api/atlas/v2/groups/g/databaseUsers/%24external/arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fapp",
        );
        let (_, values) = user.matches(&raw).expect("fits");
        assert_eq!(
            values[2],
            ("username".to_owned(), "arn:aws:iam::1:role/app".to_owned())
        );
    }

    #[test]
    fn a_suffix_after_a_parameter_must_be_there() {
        let pause = Template::parse("/api/atlas/v2/groups/{groupId}/clusters/{clusterName}:pin");
        assert!(pause
            .matches(&split("/api/atlas/v2/groups/g/clusters/c:pin"))
            .is_some());
        assert!(pause
            .matches(&split("/api/atlas/v2/groups/g/clusters/c"))
            .is_none());
        assert!(pause
            .matches(&split("/api/atlas/v2/groups/g/clusters/:pin"))
            .is_none());
    }
}
