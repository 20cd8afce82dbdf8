//! A compile-time check of `#[path(pattern = "...")]` regular expressions.
//!
//! The runtime compiles patterns with the `regex` crate on first use, and a pattern that does
//! not compile there matches nothing, so every call of the endpoint would be refused. This
//! module catches the mistakes people make while the code is still being written: unbalanced
//! `()` and `[]`, unknown escapes, quantifiers with nothing to repeat, bad counts, reversed
//! class ranges. It is deliberately a subset: it accepts the patterns the Atlas spec uses
//! (`^([a-f0-9]{24})$`, `^[a-zA-Z0-9][a-zA-Z0-9-]*$`, `^([\w-]+)$`, …) and refuses anything it
//! does not understand, such as look-around and backreferences, which `regex` refuses too.

/// Checks `pattern`; the error says what is wrong, in rustc style.
pub(crate) fn check(pattern: &str) -> Result<(), String> {
    if pattern.is_empty() {
        return Err("the pattern is empty; remove `pattern` to keep the default".to_owned());
    }
    let mut parser = Parser {
        chars: pattern.chars().collect(),
        pos: 0,
    };
    parser.alternation()?;
    match parser.peek() {
        None => Ok(()),
        Some(_) => Err("unmatched `)`; escape it as `\\)` to match it literally".to_owned()),
    }
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

/// What an escape stands for.
enum Escape {
    /// `\b`, `\A`, …: a position, which cannot be repeated.
    Assertion,
    /// `\n`, `\x41`, `\.`, …: one character, which may bound a class range.
    Char(char),
    /// `\d`, `\p{L}`, …: a set of characters.
    Set,
}

/// What a class item was, to decide whether a following `-` makes a range.
#[derive(Clone, Copy)]
enum ClassItem {
    Start,
    Char(char),
    Set,
    Range,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let ch = self.peek();
        self.pos += usize::from(ch.is_some());
        ch
    }

    fn eat(&mut self, expected: char) -> bool {
        if self.peek() == Some(expected) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn text(&self, start: usize) -> String {
        self.chars[start..self.pos].iter().collect()
    }

    /// `concat ('|' concat)*`; stops before an unmatched `)` or at the end.
    fn alternation(&mut self) -> Result<(), String> {
        self.concat()?;
        while self.eat('|') {
            self.concat()?;
        }
        Ok(())
    }

    /// A run of atoms, each optionally repeated once (and optionally lazy).
    fn concat(&mut self) -> Result<(), String> {
        // Whether the previous item is something a quantifier may repeat.
        let mut repeatable = false;
        while let Some(ch) = self.peek() {
            match ch {
                '|' | ')' => break,
                '*' | '+' | '?' | '{' => {
                    if !repeatable {
                        return Err(format!(
                            "`{ch}` has nothing to repeat; put it after a character, class or group, or escape it as `\\{ch}`"
                        ));
                    }
                    if ch == '{' {
                        self.counted()?;
                    } else {
                        self.bump();
                    }
                    self.eat('?');
                    repeatable = false;
                }
                '(' => repeatable = self.group()?,
                '[' => {
                    self.class()?;
                    repeatable = true;
                }
                ']' => {
                    return Err("unmatched `]`; escape it as `\\]` to match it literally".to_owned())
                }
                '\\' => repeatable = !matches!(self.escape(false)?, Escape::Assertion),
                '^' | '$' => {
                    self.bump();
                    repeatable = false;
                }
                _ => {
                    self.bump();
                    repeatable = true;
                }
            }
        }
        Ok(())
    }

    /// `{n}`, `{n,}` or `{n,m}` with `n <= m`.
    fn counted(&mut self) -> Result<(), String> {
        let start = self.pos;
        self.bump();
        let min = self.number();
        let comma = self.eat(',');
        let max = self.number();
        let closed = self.eat('}');
        let shape_ok = closed && min.is_some() && (comma || max.is_none());
        if !shape_ok {
            while let Some(ch) = self.peek() {
                if ch == '}' || !(ch.is_ascii_digit() || ch == ',') {
                    self.eat('}');
                    break;
                }
                self.bump();
            }
            return Err(format!(
                "invalid repetition `{}`; write `{{n}}`, `{{n,}}` or `{{n,m}}`, or escape `{{` as `\\{{`",
                self.text(start)
            ));
        }
        match (min, max) {
            (Some(Ok(min)), Some(Ok(max))) if min > max => Err(format!(
                "invalid repetition `{}`: the minimum {min} is larger than the maximum {max}",
                self.text(start)
            )),
            (Some(Err(())), _) | (_, Some(Err(()))) => Err(format!(
                "invalid repetition `{}`: the count is too large",
                self.text(start)
            )),
            _ => Ok(()),
        }
    }

    /// Decimal digits, if any; `Err` when they overflow.
    fn number(&mut self) -> Option<Result<u32, ()>> {
        let start = self.pos;
        while self.peek().is_some_and(|ch| ch.is_ascii_digit()) {
            self.bump();
        }
        (self.pos > start).then(|| self.text(start).parse().map_err(drop))
    }

    /// `(…)`, `(?:…)`, `(?P<name>…)`, `(?<name>…)`, `(?flags)`, `(?flags:…)`.
    /// Returns whether the group may be repeated (a bare flag group may not).
    fn group(&mut self) -> Result<bool, String> {
        self.bump();
        if self.eat('?') {
            match self.peek() {
                Some(':') => {
                    self.bump();
                }
                Some('P') if self.peek_at(1) == Some('<') => {
                    self.bump();
                    self.bump();
                    self.group_name()?;
                }
                Some('<') if !matches!(self.peek_at(1), Some('=' | '!')) => {
                    self.bump();
                    self.group_name()?;
                }
                Some('=' | '!' | '<') => {
                    return Err(
                        "look-around such as `(?=…)` is not supported by the `regex` crate"
                            .to_owned(),
                    )
                }
                _ => {
                    if self.flags()? {
                        return Ok(false);
                    }
                }
            }
        }
        self.alternation()?;
        if self.eat(')') {
            Ok(true)
        } else {
            Err("unclosed group `(`; close it with `)` or escape it as `\\(`".to_owned())
        }
    }

    /// The name of `(?P<name>…)`, after the `<`.
    fn group_name(&mut self) -> Result<(), String> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|ch| ch.is_ascii_alphanumeric() || ch == '_')
        {
            self.bump();
        }
        let name = self.text(start);
        let valid_start = name
            .chars()
            .next()
            .is_some_and(|ch| ch.is_ascii_alphabetic() || ch == '_');
        if !valid_start || !self.eat('>') {
            return Err(format!(
                "invalid group name `{name}`; write `(?P<name>…)` with a name of letters, digits and `_`"
            ));
        }
        Ok(())
    }

    /// Flags after `(?`. Returns `true` for a bare flag group `(?i)`, `false` when a `:`
    /// starts the group's body.
    fn flags(&mut self) -> Result<bool, String> {
        let start = self.pos;
        loop {
            match self.bump() {
                Some('i' | 'm' | 's' | 'R' | 'U' | 'u' | 'x' | '-') => {}
                Some(')') if self.pos - 1 > start => return Ok(true),
                Some(':') if self.pos - 1 > start => return Ok(false),
                Some(ch) if ch != ')' && ch != ':' => {
                    return Err(format!(
                    "unknown group flag `{ch}`; the flags are `i`, `m`, `s`, `R`, `U`, `u` and `x`"
                ))
                }
                _ => {
                    return Err(
                        "empty group flags `(?)`; write `(?:…)` for a non-capturing group"
                            .to_owned(),
                    )
                }
            }
        }
    }

    /// `[…]`, `[^…]`, with ranges, escapes and `[:alpha:]` classes.
    fn class(&mut self) -> Result<(), String> {
        self.bump();
        self.eat('^');
        let mut prev = ClassItem::Start;
        loop {
            let Some(ch) = self.peek() else {
                return Err(
                    "unclosed class `[`; close it with `]` or escape it as `\\[`".to_owned(),
                );
            };
            prev = match ch {
                ']' if !matches!(prev, ClassItem::Start) => {
                    self.bump();
                    return Ok(());
                }
                '[' if self.peek_at(1) == Some(':') => {
                    self.posix_class()?;
                    ClassItem::Set
                }
                '[' => {
                    return Err(
                        "nested `[` in a class; escape it as `\\[` to match it literally"
                            .to_owned(),
                    )
                }
                '-' if !matches!(prev, ClassItem::Start) && self.peek_at(1) != Some(']') => {
                    self.range(prev)?
                }
                '\\' => match self.escape(true)? {
                    Escape::Char(ch) => ClassItem::Char(ch),
                    Escape::Set | Escape::Assertion => ClassItem::Set,
                },
                _ => {
                    self.bump();
                    ClassItem::Char(ch)
                }
            };
        }
    }

    /// The `-` and upper bound of a range whose lower bound was `prev`.
    fn range(&mut self, prev: ClassItem) -> Result<ClassItem, String> {
        self.bump();
        let ClassItem::Char(low) = prev else {
            return Err(
                "`-` here does not make a range; escape it as `\\-` to match it literally"
                    .to_owned(),
            );
        };
        let high = match self.peek() {
            Some('\\') => match self.escape(true)? {
                Escape::Char(ch) => Some(ch),
                Escape::Set | Escape::Assertion => None,
            },
            Some('[') | None => None,
            Some(ch) => {
                self.bump();
                Some(ch)
            }
        };
        let Some(high) = high else {
            return Err(format!(
                "invalid range starting at `{low}-`; a range is between two characters, as in `a-z`"
            ));
        };
        if low > high {
            let (low, high) = (low.escape_debug(), high.escape_debug());
            return Err(format!(
                "invalid range `{low}-{high}` in a class; write the smaller character first: `{high}-{low}`"
            ));
        }
        Ok(ClassItem::Range)
    }

    /// `[:alpha:]` inside a class.
    fn posix_class(&mut self) -> Result<(), String> {
        const NAMES: &[&str] = &[
            "alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print",
            "punct", "space", "upper", "word", "xdigit",
        ];
        let start = self.pos;
        self.bump();
        self.bump();
        self.eat('^');
        let name_start = self.pos;
        while self.peek().is_some_and(|ch| ch.is_ascii_lowercase()) {
            self.bump();
        }
        let name = self.text(name_start);
        if !(self.eat(':') && self.eat(']') && NAMES.contains(&name.as_str())) {
            return Err(format!(
                "invalid class `{}`; the ASCII classes are written like `[:alpha:]`, or escape `[` as `\\[`",
                self.text(start)
            ));
        }
        Ok(())
    }

    /// An escape after `\`.
    fn escape(&mut self, in_class: bool) -> Result<Escape, String> {
        self.bump();
        let Some(ch) = self.bump() else {
            return Err(
                "the pattern ends with a lone `\\`; write `\\\\` to match a backslash".to_owned(),
            );
        };
        match ch {
            'd' | 'D' | 'w' | 'W' | 's' | 'S' => Ok(Escape::Set),
            'p' | 'P' => {
                self.unicode_class(ch)?;
                Ok(Escape::Set)
            }
            'b' | 'B' | 'A' | 'z' if !in_class => Ok(Escape::Assertion),
            'n' => Ok(Escape::Char('\n')),
            't' => Ok(Escape::Char('\t')),
            'r' => Ok(Escape::Char('\r')),
            'f' => Ok(Escape::Char('\u{c}')),
            'v' => Ok(Escape::Char('\u{b}')),
            'a' => Ok(Escape::Char('\u{7}')),
            'x' => self.hex(ch, 2).map(Escape::Char),
            'u' => self.hex(ch, 4).map(Escape::Char),
            'U' => self.hex(ch, 8).map(Escape::Char),
            '1'..='9' => Err(format!(
                "backreferences such as `\\{ch}` are not supported by the `regex` crate"
            )),
            _ if ch.is_ascii_punctuation() => Ok(Escape::Char(ch)),
            _ => Err(format!(
                "unknown escape `\\{ch}`; use `\\d`, `\\w`, `\\s`, `\\n`, `\\x41`, `\\p{{L}}`, or escape punctuation such as `\\.`"
            )),
        }
    }

    /// The digits of `\x41`, `\u00e9`, `\U0001F600` or their braced form `\x{41}`.
    fn hex(&mut self, kind: char, fixed: usize) -> Result<char, String> {
        let start = self.pos;
        let braced = self.eat('{');
        let digits_start = self.pos;
        while self.peek().is_some_and(|ch| ch.is_ascii_hexdigit())
            && (braced || self.pos - digits_start < fixed)
        {
            self.bump();
        }
        let digits = self.text(digits_start);
        let well_formed = if braced {
            self.eat('}') && !digits.is_empty() && digits.len() <= 8
        } else {
            digits.len() == fixed
        };
        u32::from_str_radix(&digits, 16)
            .ok()
            .filter(|_| well_formed)
            .and_then(char::from_u32)
            .ok_or_else(|| {
                format!(
                    "invalid escape `\\{kind}{}`; write {fixed} hex digits or braces, as in `\\{kind}{{41}}`",
                    self.text(start)
                )
            })
    }

    /// The name of `\pL` or `\p{Greek}`.
    fn unicode_class(&mut self, kind: char) -> Result<(), String> {
        if self.eat('{') {
            let start = self.pos;
            while self.peek().is_some_and(|ch| ch != '}') {
                self.bump();
            }
            let name = self.text(start);
            if self.eat('}') && !name.is_empty() {
                return Ok(());
            }
        } else if self.bump().is_some_and(|ch| ch.is_ascii_alphabetic()) {
            return Ok(());
        }
        Err(format!(
            "invalid Unicode class escape; write `\\{kind}{{Name}}`, as in `\\{kind}{{L}}`"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::check;

    fn error(pattern: &str) -> String {
        match check(pattern) {
            Ok(()) => panic!("`{pattern}` should be refused"),
            Err(message) => message,
        }
    }

    #[test]
    fn accepts_the_spec_patterns() {
        for pattern in [
            "^([a-f0-9]{24})$",
            "^[a-zA-Z0-9][a-zA-Z0-9-]*$",
            r"^([\w-]+)$",
            "^[a-zA-Z0-9][a-zA-Z0-9_.-]*$",
            "^(?:[a-z0-9]+)$",
            r"^\d+$",
            "^[a-z]+$",
            "^([0-9]{1,3}\\.){3}[0-9]{1,3}$",
            "^.{1,64}$",
            "^(?i)[a-z]+$",
            "^(?P<id>[0-9a-f]{24})$",
            "^(?<name>x)|y$",
            r"^[\p{L}\-_.]+$",
            r"^\x41\u00e9\x{1F600}$",
            "[]a]",
            "[^]a]",
            "[-a]",
            "[a-]",
            "[[:alpha:]_]+",
            "a*?b+?c??d{2,}?",
            "()",
            "a|",
            r"\bword\b",
            "}",
            r"\/groups\/",
        ] {
            assert_eq!(check(pattern), Ok(()), "{pattern}");
        }
    }

    #[test]
    fn refuses_empty() {
        assert!(error("").contains("empty"));
    }

    #[test]
    fn refuses_unbalanced_groups() {
        assert!(error("^(a$").contains("unclosed group"));
        assert!(error("a)").contains("unmatched `)`"));
        assert!(error("((a)").contains("unclosed group"));
    }

    #[test]
    fn refuses_unbalanced_classes() {
        assert!(error("[a-z").contains("unclosed class"));
        assert!(error("a]").contains("unmatched `]`"));
        assert!(error("[]").contains("unclosed class"));
        assert!(error("[a[b]]").contains("nested `[`"));
    }

    #[test]
    fn refuses_bad_escapes() {
        assert!(error(r"\q").contains("unknown escape `\\q`"));
        assert!(error("a\\").contains("lone `\\`"));
        assert!(error(r"(a)\1").contains("backreferences"));
        assert!(error(r"\xZZ").contains("invalid escape"));
        assert!(error(r"\x{}").contains("invalid escape"));
        assert!(error(r"\p{").contains("Unicode class"));
        assert!(error(r"[\b]").contains("unknown escape"));
    }

    #[test]
    fn refuses_quantifiers_without_atom() {
        assert!(error("*a").contains("`*` has nothing to repeat"));
        assert!(error("+").contains("`+` has nothing to repeat"));
        assert!(error("a|?").contains("`?` has nothing to repeat"));
        assert!(error("(*)").contains("nothing to repeat"));
        assert!(error("^*").contains("nothing to repeat"));
        assert!(error("a**").contains("nothing to repeat"));
        assert!(error("a{2}{3}").contains("nothing to repeat"));
        assert!(error("{2}").contains("nothing to repeat"));
    }

    #[test]
    fn refuses_bad_counts() {
        assert!(error("a{3,2}").contains("minimum 3 is larger than the maximum 2"));
        assert!(error("a{").contains("invalid repetition `{`"));
        assert!(error("a{x}").contains("invalid repetition"));
        assert!(error("a{,3}").contains("invalid repetition `{,3}`"));
        assert!(error("a{99999999999}").contains("too large"));
    }

    #[test]
    fn refuses_reversed_ranges() {
        assert!(error("[z-a]").contains("invalid range `z-a`"));
        assert!(error("[a-z9-0]").contains("`0-9`"));
        assert!(error(r"[\w-z]").contains("does not make a range"));
        assert!(error("[a-c-e]").contains("does not make a range"));
        assert_eq!(check(r"[\x00-\x1F]"), Ok(()));
        assert!(error(r"[\x1F-\x00]").contains("invalid range"));
    }

    #[test]
    fn refuses_unsupported_groups() {
        assert!(error("(?=a)").contains("look-around"));
        assert!(error("(?<!a)").contains("look-around"));
        assert!(error("(?q)").contains("unknown group flag `q`"));
        assert!(error("(?)").contains("empty group flags"));
        assert!(error("(?P<1x>a)").contains("invalid group name"));
        assert!(error("[[:alfa:]]").contains("invalid class"));
    }
}
