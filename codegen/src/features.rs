//! The tag features of the facade's `Cargo.toml`, between two marker lines.

use std::collections::BTreeSet;
use std::path::Path;

use crate::naming;

const BEGIN: &str = "# @generated tag features: begin (cargo run -p atlas-endpoints-codegen)";
const END: &str = "# @generated tag features: end";

pub fn write(manifest: &Path, tags: &BTreeSet<String>) -> Result<(), String> {
    let text = std::fs::read_to_string(manifest)
        .map_err(|error| format!("{}: {error}", manifest.display()))?;
    let (Some(begin), Some(end)) = (text.find(BEGIN), text.find(END)) else {
        return Err(format!(
            "{} has no `{BEGIN}` ... `{END}` block",
            manifest.display()
        ));
    };
    let features: Vec<String> = tags.iter().map(|t| naming::tag_feature(t)).collect();
    let mut block = format!("{BEGIN}\n");
    block.push_str("full = [\n");
    for feature in &features {
        block.push_str(&format!("    {feature:?},\n"));
    }
    block.push_str("]\n");
    for (tag, feature) in tags.iter().zip(&features) {
        block.push_str(&format!("# Tag `{tag}`.\n{feature} = []\n"));
    }
    let updated = format!("{}{block}{}", &text[..begin], &text[end..]);
    if updated != text {
        std::fs::write(manifest, updated)
            .map_err(|error| format!("{}: {error}", manifest.display()))?;
    }
    Ok(())
}
