//! Durations as the `wait(...)` option writes them: whole numbers, each with its unit (`ms`,
//! `s`, `m`, `h`), as in `30s`, `5m`, `3h`, `500ms`, `1h30m`.
//!
//! Without dependencies, so that the `atlas` example reads its `--wait-timeout` the same way
//! (`#[path]`-included there).

/// A duration in milliseconds; `None` for anything else (a bare number, a space, a fraction,
/// an overflow).
pub(crate) fn parse_millis(text: &str) -> Option<u64> {
    let mut rest = text;
    if rest.is_empty() {
        return None;
    }
    let mut total: u64 = 0;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let number: u64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let unit: u64 = match &rest[..unit_len] {
            "ms" => 1,
            "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            _ => return None,
        };
        rest = &rest[unit_len..];
        total = total.checked_add(number.checked_mul(unit)?)?;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::parse_millis;

    #[test]
    fn durations_are_read_in_their_units() {
        assert_eq!(parse_millis("30s"), Some(30_000));
        assert_eq!(parse_millis("5m"), Some(300_000));
        assert_eq!(parse_millis("3h"), Some(10_800_000));
        assert_eq!(parse_millis("500ms"), Some(500));
        assert_eq!(parse_millis("1h30m"), Some(5_400_000));
        for refused in [
            "",
            "30",
            "s",
            "3 h",
            "1.5h",
            "-1s",
            "5sec",
            "99999999999999999999h",
        ] {
            assert_eq!(parse_millis(refused), None, "{refused:?}");
        }
    }
}
