//! The generated API "expanded by hand": every `#[atlas_endpoint]` of a directory of source
//! files replaced by exactly what the attribute writes, for `benches/compile_scaling_api.sh`
//! (BENCHMARKS.md §6), which builds the facade with both and compares.
//!
//! ```sh
//! ATLAS_EXPAND_IN=src/api ATLAS_EXPAND_OUT=/tmp/api-expanded \
//!     cargo test -p atlas-endpoints-macros -- --ignored expand_api
//! ```
//!
//! Relative paths are taken from the workspace root. Each `*.rs` file of `ATLAS_EXPAND_IN`
//! (not its subdirectories) is written to `ATLAS_EXPAND_OUT` under the same name: a file
//! without the attribute as it is, byte for byte; any other file parsed with `syn`, every
//! trait method carrying the attribute replaced by the attribute's output (through
//! `super::endpoint`, the function the attribute itself calls), `atlas_endpoint` removed
//! from the imports, and the result printed with `prettyplease`. Plain `//` comments of such
//! a file are lost (syn keeps doc comments only); a header says where the file came from.
//! A declaration the attribute refuses stops the run: its expansion would be a
//! `compile_error!`, not a method.
//!
//! For the breakdown of where a build's time goes, `ATLAS_EXPAND_DROP=1` removes the
//! declarations instead (the traits stay, empty), and `ATLAS_EXPAND_KEEP=a.rs,b.rs` copies
//! the files named as they are.

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::ToTokens;

#[test]
#[ignore = "a tool, run by benches/compile_scaling_api.sh: needs ATLAS_EXPAND_IN and ATLAS_EXPAND_OUT"]
fn expand_api() {
    let (input, output) = (
        dir_from_env("ATLAS_EXPAND_IN"),
        dir_from_env("ATLAS_EXPAND_OUT"),
    );
    std::fs::create_dir_all(&output).unwrap();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&input)
        .unwrap_or_else(|error| panic!("ATLAS_EXPAND_IN={}: {error}", input.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file() && path.extension().is_some_and(|ext| ext == "rs"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .rs file in {}", input.display());
    let drop = std::env::var_os("ATLAS_EXPAND_DROP").is_some_and(|value| value == "1");
    let keep = std::env::var("ATLAS_EXPAND_KEEP").unwrap_or_default();
    let keep: Vec<&str> = keep.split(',').filter(|name| !name.is_empty()).collect();
    let (mut expanded, mut copied) = (0, 0);
    for path in &files {
        let name = path.file_name().unwrap();
        let source = std::fs::read_to_string(path).unwrap();
        // Named in the header: the path below the workspace root when it is there.
        let label = path
            .strip_prefix(root())
            .unwrap_or(path)
            .display()
            .to_string();
        let (text, count) = if keep.contains(&&*name.to_string_lossy()) {
            (source, 0)
        } else {
            expand_file(&source, &label, drop)
        };
        if count == 0 {
            copied += 1;
        }
        expanded += count;
        std::fs::write(output.join(name), text).unwrap();
    }
    let done = if drop { "dropped" } else { "expanded" };
    println!(
        "expand_api: {expanded} declarations {done} in {} files ({copied} copied as they are), {} -> {}",
        files.len() - copied,
        input.display(),
        output.display()
    );
}

fn dir_from_env(var: &str) -> PathBuf {
    let value = std::env::var_os(var).unwrap_or_else(|| panic!("set {var} (see expand_files.rs)"));
    root().join(value)
}

fn root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// The file with every declaration expanded, and how many there were; the source as it is
/// when it has none.
fn expand_file(source: &str, name: &str, drop: bool) -> (String, usize) {
    let mut file: syn::File =
        syn::parse_str(source).unwrap_or_else(|error| panic!("{name}: {error}"));
    let count = expand_items(&mut file.items, name, drop);
    if count == 0 {
        return (source.to_owned(), 0);
    }
    let header = if drop {
        format!(
            "// {name} without its `#[atlas_endpoint]` declarations\n\
             // (macros/src/expand_files.rs). Written for benches/compile_scaling_api.sh.\n\n"
        )
    } else {
        format!(
            "// The hand-written twin of {name}: each `#[atlas_endpoint]` replaced by its\n\
             // expansion (macros/src/expand_files.rs). Written for benches/compile_scaling_api.sh.\n\n"
        )
    };
    (header + &prettyplease::unparse(&file), count)
}

fn expand_items(items: &mut [syn::Item], name: &str, drop: bool) -> usize {
    let mut count = 0;
    for item in items {
        match item {
            syn::Item::Trait(item) if drop => {
                let before = item.items.len();
                item.items.retain(|trait_item| {
                    !matches!(trait_item, syn::TraitItem::Fn(method)
                        if method.attrs.iter().any(|attr| attr.path().is_ident("atlas_endpoint")))
                });
                count += before - item.items.len();
            }
            syn::Item::Trait(item) => {
                for trait_item in &mut item.items {
                    if let syn::TraitItem::Fn(method) = trait_item {
                        if let Some(expanded) = expand_method(method, name) {
                            *trait_item = expanded;
                            count += 1;
                        }
                    }
                }
            }
            syn::Item::Mod(syn::ItemMod {
                content: Some((_, items)),
                ..
            }) => count += expand_items(items, name, drop),
            syn::Item::Use(item) => {
                remove_import(&mut item.tree);
            }
            _ => {}
        }
    }
    count
}

/// What the attribute makes of the method, if it carries it.
fn expand_method(method: &mut syn::TraitItemFn, name: &str) -> Option<syn::TraitItem> {
    let position = method
        .attrs
        .iter()
        .position(|attr| attr.path().is_ident("atlas_endpoint"))?;
    let attribute = method.attrs.remove(position);
    let args = match attribute.meta {
        syn::Meta::List(list) => list.tokens,
        _ => TokenStream::new(),
    };
    let ident = method.sig.ident.to_string();
    let expanded = super::endpoint(args, method.to_token_stream());
    assert!(
        !expanded.to_string().contains("compile_error"),
        "{name}: the attribute refuses `{ident}`:\n{expanded}"
    );
    Some(syn::parse2(expanded).unwrap_or_else(|error| panic!("{name}: `{ident}`: {error}")))
}

/// Drops `atlas_endpoint` from `use crate::{atlas_endpoint, ...}`: the expansion names
/// everything by absolute paths, so the import would be unused.
fn remove_import(tree: &mut syn::UseTree) {
    match tree {
        syn::UseTree::Path(path) => remove_import(&mut path.tree),
        syn::UseTree::Group(group) => {
            let kept = std::mem::take(&mut group.items)
                .into_iter()
                .filter(
                    |tree| !matches!(tree, syn::UseTree::Name(n) if n.ident == "atlas_endpoint"),
                )
                .collect();
            group.items = kept;
            for tree in &mut group.items {
                remove_import(tree);
            }
        }
        _ => {}
    }
}

#[test]
fn a_file_is_expanded_as_the_attribute_expands_it() {
    let source = r#"
use atlas_endpoints::{atlas_endpoint, Call};

pub trait Things {
    /// Return one thing.
    #[atlas_endpoint(GET, "/groups/<group_id>/things/<thing>")]
    fn get_thing(&self, group_id: &str, thing: &str) -> Call<Thing>;

    fn other(&self) {}
}
"#;
    let (text, count) = expand_file(source, "src/api/things.rs", false);
    assert_eq!(count, 1);
    let file: syn::File = syn::parse_str(&text).unwrap();
    let printed = file.to_token_stream().to_string();
    // Neither the attribute nor its import is left (`atlas_endpoints` paths are).
    assert!(
        !printed
            .split_whitespace()
            .any(|token| token == "atlas_endpoint"),
        "{printed}"
    );
    assert!(printed.contains("__ATLAS_ENDPOINT"), "{printed}");
    assert!(printed.contains("fn other ("), "{printed}");
    assert!(text.starts_with("// The hand-written twin of src/api/things.rs"));
    // A file without the attribute is copied byte for byte, comments included.
    let plain = "// a comment\npub mod x;\n";
    assert_eq!(expand_file(plain, "mod.rs", false), (plain.to_owned(), 0));
    // Dropped, the declaration is gone and the rest stays.
    let (text, count) = expand_file(source, "src/api/things.rs", true);
    assert_eq!(count, 1);
    assert!(
        !text.contains("get_thing") && text.contains("fn other"),
        "{text}"
    );
}
