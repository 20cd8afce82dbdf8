// Patterns the runtime's `regex` compiles, which the attribute accepts: Perl classes (`\d`,
// `\w`, `\s`), Unicode general categories, `\b{start}`/`\b{end}`, named groups, escaped
// punctuation, ASCII case folding. The same sources, built as the runtime builds them,
// match what they should (a pattern the runtime could not compile would match nothing).

use atlas_endpoints::{atlas_endpoint, Call, Client, Pattern};

pub trait Things {
    #[atlas_endpoint(GET, "/groups/<group_id>/things/<version>/<label>/<word>/<code>")]
    fn get_thing(
        &self,
        #[path(pattern = "^([a-f0-9]{24})$")] group_id: &str,
        #[path(pattern = r"^([\d]+\.[\d]+\.[\d]+)$")] version: &str,
        #[path(pattern = r"^[\p{L}\p{N}\-_.,' ]*$")] label: &str,
        #[path(pattern = r"^\b{start}[-\w.]+\b{end}$")] word: &str,
        #[path(pattern = r"^(?<prefix>(?i-u)mdb)_\:[a-fA-F\d]{4}\s?$")] code: &str,
    ) -> Call<()>;
}

impl Things for Client {}

static VERSION: Pattern = Pattern::new(r"^([\d]+\.[\d]+\.[\d]+)$");
static LABEL: Pattern = Pattern::new(r"^[\p{L}\p{N}\-_.,' ]*$");
static WORD: Pattern = Pattern::new(r"^\b{start}[-\w.]+\b{end}$");
static CODE: Pattern = Pattern::new(r"^(?<prefix>(?i-u)mdb)_\:[a-fA-F\d]{4}\s?$");

fn main() {
    assert!(VERSION.is_match("8.0.12"));
    assert!(!VERSION.is_match("8.0"));
    assert!(LABEL.is_match("Équipe 7, l'autre"));
    assert!(!LABEL.is_match("a/b"));
    assert!(WORD.is_match("naïve"));
    assert!(!WORD.is_match("two words"));
    assert!(CODE.is_match("MDB_:0aF9"));
    assert!(!CODE.is_match("mdb_:0aFZ"));
}
