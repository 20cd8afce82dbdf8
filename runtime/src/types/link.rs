use serde::{Deserialize, Serialize};

/// A link Atlas attaches to resources and pages, such as `self`, `next` and `previous`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Link {
    /// The link's address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// The relation of the link to the resource, e.g. `next`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rel: Option<String>,
}

impl Link {
    /// Whether this link has the relation `rel`.
    pub fn is(&self, rel: &str) -> bool {
        self.rel.as_deref() == Some(rel)
    }
}
