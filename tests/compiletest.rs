/// One folder per kind of mistake, one minimal mistake per file; `pass/` compiles and runs.
/// `support/` holds no cases, only what the cases of several folders include (`include!`).
const COMPILE_FAIL: [&str; 11] = [
    "placement",
    "signature",
    "return-type",
    "http-method",
    "template",
    "options",
    "common",
    "arguments",
    "patterns",
    "reporting",
    "wait",
];

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    for folder in COMPILE_FAIL {
        t.compile_fail(format!("tests/ui/{folder}/*.rs"));
    }
    t.pass("tests/ui/pass/*.rs");
}

/// A folder added under `tests/ui/` but not to the list above would never run.
#[test]
fn every_ui_folder_runs() {
    let ui = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/ui");
    for entry in std::fs::read_dir(ui).expect("tests/ui") {
        let path = entry.expect("an entry of tests/ui").path();
        let name = path
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or("");
        assert!(
            path.is_dir() && (name == "pass" || name == "support" || COMPILE_FAIL.contains(&name)),
            "`tests/ui/{name}` is not run; list it in COMPILE_FAIL, or move it into a folder"
        );
    }
}
