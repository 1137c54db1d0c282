//! A small tokenizer and statement reader for mysqldump / mariadb-dump output.
//!
//! It understands just enough SQL to pull rows out of a dump: `CREATE TABLE`
//! (for the column order of that VICIdial version), `INSERT`/`REPLACE` with or
//! without a column list, multi-row `VALUES`, `INSERT ... SET`, MySQL string
//! escapes, `NULL`, `--`/`#`/`/* */` comments and `/*!NNNNN ... */` conditional
//! comments (skipped: dumps put only session settings in them). Every other
//! statement is skipped token by token up to its `;`.
//!
//! Why not the sqlparser crate: see the README's section on import.

use std::collections::HashMap;

use super::error::{ImportError, NOT_UTF8};
use super::table::{RawValue, TableData, model_column_names, table_kind};
use crate::vicidial::ColumnType;
use crate::vicidial::RecordKind;

/// A token and the byte offset where it starts.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// A bare word: keyword or identifier, as written.
    Word(String),
    /// A `back-quoted` identifier, unescaped.
    Quoted(String),
    /// A '...' or "..." string, unescaped.
    Str(String),
    /// A numeric literal, as written (sign not included).
    Number(String),
    /// Any other single character: ( ) , ; = . - + and so on.
    Punct(char),
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    at: usize,
}

/// Turns dump text into tokens, lazily.
struct Lexer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Lexer<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    fn peek_byte(&self, offset: usize) -> Option<u8> {
        self.bytes.get(self.pos + offset).copied()
    }

    fn error(&self, at: usize, message: impl Into<String>) -> ImportError {
        ImportError::syntax(self.text, at, message)
    }

    /// Skips whitespace and comments.
    fn skip_trivia(&mut self) -> Result<(), ImportError> {
        loop {
            match (self.peek_byte(0), self.peek_byte(1)) {
                (Some(b' ' | b'\t' | b'\r' | b'\n' | b'\x0c'), _) => self.pos += 1,
                (Some(b'#'), _) => self.skip_line(),
                // `--` starts a comment only when followed by whitespace or the end.
                (Some(b'-'), Some(b'-'))
                    if matches!(self.peek_byte(2), None | Some(b' ' | b'\t' | b'\r' | b'\n')) =>
                {
                    self.skip_line()
                }
                (Some(b'/'), Some(b'*')) => {
                    let start = self.pos;
                    match self.text.get(self.pos + 2..).and_then(|t| t.find("*/")) {
                        Some(end) => self.pos += 2 + end + 2,
                        None => return Err(self.error(start, "unterminated comment")),
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    fn skip_line(&mut self) {
        match self.text.get(self.pos..).and_then(|t| t.find('\n')) {
            Some(end) => self.pos += end + 1,
            None => self.pos = self.bytes.len(),
        }
    }

    fn next(&mut self) -> Result<Option<Token>, ImportError> {
        self.skip_trivia()?;
        let at = self.pos;
        let Some(first) = self.peek_byte(0) else {
            return Ok(None);
        };
        let tok = match first {
            b'\'' | b'"' => Tok::Str(self.string(first)?),
            b'`' => Tok::Quoted(self.quoted_identifier()?),
            b'0'..=b'9' => Tok::Number(self.number()),
            b'.' if matches!(self.peek_byte(1), Some(b'0'..=b'9')) => Tok::Number(self.number()),
            c if c.is_ascii_alphabetic() || c == b'_' || c == b'$' || c >= 0x80 => {
                let start = self.pos;
                while let Some(c) = self.peek_byte(0) {
                    if c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80 {
                        self.pos += 1;
                    } else {
                        break;
                    }
                }
                Tok::Word(
                    self.text
                        .get(start..self.pos)
                        .unwrap_or_default()
                        .to_owned(),
                )
            }
            _ => {
                let c = self.text.get(self.pos..).and_then(|t| t.chars().next());
                let c = c.unwrap_or('\u{FFFD}');
                self.pos += c.len_utf8();
                Tok::Punct(c)
            }
        };
        Ok(Some(Token { tok, at }))
    }

    fn number(&mut self) -> String {
        let start = self.pos;
        while let Some(c) = self.peek_byte(0) {
            let exponent_sign = matches!(c, b'+' | b'-')
                && matches!(self.bytes.get(self.pos.wrapping_sub(1)), Some(b'e' | b'E'));
            if c.is_ascii_alphanumeric() || c == b'.' || exponent_sign {
                self.pos += 1;
            } else {
                break;
            }
        }
        self.text
            .get(start..self.pos)
            .unwrap_or_default()
            .to_owned()
    }

    /// A '...' or "..." string with MySQL's escapes; a doubled quote is one quote.
    fn string(&mut self, quote: u8) -> Result<String, ImportError> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        let mut run = self.pos;
        loop {
            let Some(c) = self.peek_byte(0) else {
                return Err(self.error(start, "unterminated string"));
            };
            if c == quote {
                out.push_str(self.text.get(run..self.pos).unwrap_or_default());
                if self.peek_byte(1) == Some(quote) {
                    out.push(quote as char);
                    self.pos += 2;
                    run = self.pos;
                    continue;
                }
                self.pos += 1;
                return Ok(out);
            }
            if c == b'\\' {
                out.push_str(self.text.get(run..self.pos).unwrap_or_default());
                let Some(escaped) = self.text.get(self.pos + 1..).and_then(|t| t.chars().next())
                else {
                    return Err(self.error(start, "unterminated string"));
                };
                match escaped {
                    '0' => out.push('\0'),
                    'b' => out.push('\u{8}'),
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    'Z' => out.push('\u{1A}'),
                    // MySQL keeps the backslash of \% and \_ (they matter to LIKE).
                    '%' | '_' => {
                        out.push('\\');
                        out.push(escaped);
                    }
                    other => out.push(other),
                }
                self.pos += 1 + escaped.len_utf8();
                run = self.pos;
                continue;
            }
            self.pos += 1;
        }
    }

    fn quoted_identifier(&mut self) -> Result<String, ImportError> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let rest = self.text.get(self.pos..).unwrap_or_default();
            let Some(end) = rest.find('`') else {
                return Err(self.error(start, "unterminated `quoted` identifier"));
            };
            out.push_str(rest.get(..end).unwrap_or_default());
            self.pos += end + 1;
            if self.peek_byte(0) == Some(b'`') {
                out.push('`');
                self.pos += 1;
            } else {
                return Ok(out);
            }
        }
    }
}

/// Reads statements from a dump and collects the rows of the wanted tables.
/// `utf8` says whether the dump was valid UTF-8; if not, `text` is its lossy
/// conversion and a replacement character in an imported string is an error.
pub fn parse(text: &str, utf8: bool) -> Result<Vec<TableData>, ImportError> {
    let mut reader = Reader {
        lexer: Lexer::new(text),
        utf8,
        peeked: None,
        schemas: HashMap::new(),
        tables: Vec::new(),
        in_credential: false,
    };
    reader.statements()?;
    Ok(reader.tables)
}

struct Reader<'a> {
    lexer: Lexer<'a>,
    utf8: bool,
    peeked: Option<Token>,
    /// Column order of each wanted table, from its CREATE TABLE.
    schemas: HashMap<RecordKind, Vec<String>>,
    tables: Vec<TableData>,
    /// The value being read is a credential's: an error there does not
    /// quote what it found.
    in_credential: bool,
}

impl Reader<'_> {
    fn next(&mut self) -> Result<Option<Token>, ImportError> {
        match self.peeked.take() {
            Some(token) => Ok(Some(token)),
            None => self.lexer.next(),
        }
    }

    fn peek(&mut self) -> Result<Option<&Token>, ImportError> {
        if self.peeked.is_none() {
            self.peeked = self.lexer.next()?;
        }
        Ok(self.peeked.as_ref())
    }

    fn error(&self, at: usize, message: impl Into<String>) -> ImportError {
        self.lexer.error(at, message)
    }

    /// [`describe`], except that a word or number found while reading a
    /// credential's value is not quoted (it may be the credential).
    fn describe_here(&self, tok: &Tok) -> String {
        match tok {
            Tok::Word(_) | Tok::Number(_) | Tok::Quoted(_) if self.in_credential => {
                "an unquoted word (not shown: this is the value of a credential column)".to_owned()
            }
            other => describe(other),
        }
    }

    fn end_offset(&self) -> usize {
        self.lexer.bytes.len()
    }

    /// The next token, or an error naming what was expected.
    fn expect_any(&mut self, what: &str) -> Result<Token, ImportError> {
        match self.next()? {
            Some(token) => Ok(token),
            None => Err(self.error(
                self.end_offset(),
                format!("unexpected end of dump, expected {what}"),
            )),
        }
    }

    fn expect_punct(&mut self, c: char) -> Result<Token, ImportError> {
        let token = self.expect_any(&format!("`{c}`"))?;
        if token.tok == Tok::Punct(c) {
            Ok(token)
        } else {
            Err(self.error(
                token.at,
                format!("expected `{c}`, found {}", describe(&token.tok)),
            ))
        }
    }

    fn eat_word(&mut self, word: &str) -> Result<bool, ImportError> {
        let matched = matches!(self.peek()?, Some(Token { tok: Tok::Word(w), .. }) if w.eq_ignore_ascii_case(word));
        if matched {
            self.next()?;
        }
        Ok(matched)
    }

    fn eat_punct(&mut self, c: char) -> Result<bool, ImportError> {
        let matched = matches!(self.peek()?, Some(Token { tok: Tok::Punct(p), .. }) if *p == c);
        if matched {
            self.next()?;
        }
        Ok(matched)
    }

    fn statements(&mut self) -> Result<(), ImportError> {
        while let Some(token) = self.next()? {
            match &token.tok {
                Tok::Punct(';') => {}
                Tok::Word(w) if w.eq_ignore_ascii_case("CREATE") => self.create()?,
                Tok::Word(w) if w.eq_ignore_ascii_case("DELIMITER") => self.delimiter(),
                Tok::Word(w)
                    if w.eq_ignore_ascii_case("INSERT") || w.eq_ignore_ascii_case("REPLACE") =>
                {
                    self.insert()?
                }
                _ => self.skip_statement()?,
            }
        }
        Ok(())
    }

    /// `DELIMITER ;;` (a client command, not SQL): mysqldump writes it around
    /// routines and triggers, whose bodies hold `;`. Nothing in such a block is
    /// table data, so everything up to `DELIMITER ;` is skipped.
    fn delimiter(&mut self) {
        let lexer = &mut self.lexer;
        let rest = lexer.text.get(lexer.pos..).unwrap_or_default();
        let mut lines = rest.split_inclusive('\n');
        let first = lines.next().unwrap_or_default();
        let mut skip = first.len();
        if first.trim() != ";" {
            for line in lines {
                skip += line.len();
                if line.trim().eq_ignore_ascii_case("DELIMITER ;") {
                    break;
                }
            }
        }
        lexer.pos += skip;
    }

    /// Skips to the `;` that ends the statement (or the end of the dump).
    fn skip_statement(&mut self) -> Result<(), ImportError> {
        while let Some(token) = self.next()? {
            if token.tok == Tok::Punct(';') {
                break;
            }
        }
        Ok(())
    }

    /// A table name, possibly qualified (`db`.`phones`): the last part.
    fn table_name(&mut self) -> Result<String, ImportError> {
        let token = self.expect_any("a table name")?;
        let mut name = match token.tok {
            Tok::Word(w) | Tok::Quoted(w) | Tok::Str(w) => w,
            other => {
                return Err(self.error(
                    token.at,
                    format!("expected a table name, found {}", describe(&other)),
                ));
            }
        };
        while self.eat_punct('.')? {
            let part = self.expect_any("a table name")?;
            name = match part.tok {
                Tok::Word(w) | Tok::Quoted(w) | Tok::Str(w) => w,
                other => {
                    return Err(self.error(
                        part.at,
                        format!("expected a table name, found {}", describe(&other)),
                    ));
                }
            };
        }
        Ok(name)
    }

    fn create(&mut self) -> Result<(), ImportError> {
        // CREATE [TEMPORARY] TABLE [IF NOT EXISTS] name ( ... ) options;
        self.eat_word("TEMPORARY")?;
        if !self.eat_word("TABLE")? {
            return self.skip_statement();
        }
        if self.eat_word("IF")? {
            self.eat_word("NOT")?;
            self.eat_word("EXISTS")?;
        }
        let name = self.table_name()?;
        let Some(table) = table_kind(&name) else {
            return self.skip_statement();
        };
        if !self.eat_punct('(')? {
            // CREATE TABLE x LIKE y / AS SELECT: nothing to learn.
            return self.skip_statement();
        }
        let mut columns = Vec::new();
        loop {
            // One definition: a column or an index, up to a top-level `,` or `)`.
            let first = self.expect_any("a column definition")?;
            let column = match &first.tok {
                // "name" is an identifier in ANSI_QUOTES dumps (--compatible=ansi).
                Tok::Quoted(name) | Tok::Str(name) => Some(name.clone()),
                Tok::Word(word) if !is_index_keyword(word) => Some(word.clone()),
                _ => None,
            };
            if let Some(column) = column {
                columns.push(column);
            }
            let mut depth = 0usize;
            let mut token = first;
            loop {
                match token.tok {
                    Tok::Punct('(') => depth += 1,
                    Tok::Punct(')') if depth > 0 => depth -= 1,
                    _ => {}
                }
                let next = self.expect_any("`)` closing CREATE TABLE")?;
                match next.tok {
                    Tok::Punct(',') if depth == 0 => break,
                    Tok::Punct(')') if depth == 0 => {
                        // The table exists, if empty, with this dump's columns.
                        self.tables.push(TableData {
                            kind: table,
                            columns: columns.clone(),
                            rows: Vec::new(),
                        });
                        self.schemas.insert(table, columns);
                        return self.skip_statement();
                    }
                    Tok::Punct(';') => {
                        return Err(self.error(
                            next.at,
                            format!("`;` inside CREATE TABLE `{name}`: a `)` is missing"),
                        ));
                    }
                    _ => token = next,
                }
            }
        }
    }

    fn insert(&mut self) -> Result<(), ImportError> {
        // INSERT [LOW_PRIORITY | DELAYED | HIGH_PRIORITY] [IGNORE] [INTO] name ...
        for modifier in ["LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "IGNORE", "INTO"] {
            self.eat_word(modifier)?;
        }
        let name = self.table_name()?;
        let Some(table) = table_kind(&name) else {
            return self.skip_statement();
        };
        let (columns, rows) = if self.eat_word("SET")? {
            self.set_row(table)?
        } else {
            self.value_rows(table, &name)?
        };
        self.end_insert()?;
        self.tables.push(TableData {
            kind: table,
            columns,
            rows,
        });
        Ok(())
    }

    /// INSERT ... SET col = value, ...: one row.
    fn set_row(
        &mut self,
        kind: RecordKind,
    ) -> Result<(Vec<String>, Vec<Vec<RawValue>>), ImportError> {
        let mut columns = Vec::new();
        let mut values = Vec::new();
        loop {
            let column = self.column_name()?;
            self.in_credential = false;
            self.expect_punct('=')?;
            values.push(self.value(kind, Some(&column))?);
            columns.push(column);
            if !self.eat_punct(',')? {
                break;
            }
        }
        Ok((columns, vec![values]))
    }

    /// [(columns)] VALUES (row), (row), ...
    fn value_rows(
        &mut self,
        table: RecordKind,
        name: &str,
    ) -> Result<(Vec<String>, Vec<Vec<RawValue>>), ImportError> {
        let mut rows = Vec::new();
        let columns = if self.eat_punct('(')? {
            let mut columns = Vec::new();
            loop {
                columns.push(self.column_name()?);
                if self.eat_punct(')')? {
                    break;
                }
                self.expect_punct(',')?;
            }
            columns
        } else {
            match self.schemas.get(&table) {
                Some(columns) => columns.clone(),
                None => model_column_names(table),
            }
        };
        let keyword = self.expect_any("VALUES")?;
        let is_values = matches!(&keyword.tok, Tok::Word(w) if w.eq_ignore_ascii_case("VALUES") || w.eq_ignore_ascii_case("VALUE"));
        if !is_values {
            return Err(self.error(keyword.at, format!("expected VALUES after INSERT INTO `{name}`, found {} (INSERT ... SELECT cannot be imported)", describe(&keyword.tok))));
        }
        loop {
            let open = self.expect_punct('(')?;
            let mut row = Vec::new();
            if !self.eat_punct(')')? {
                loop {
                    let column = columns.get(row.len()).map(String::as_str);
                    row.push(self.value(table, column)?);
                    let token = self.expect_any("`,` or `)`")?;
                    match token.tok {
                        Tok::Punct(')') => break,
                        Tok::Punct(',') => {}
                        other => {
                            return Err(self.error(
                                token.at,
                                format!(
                                    "expected `,` or `)`, found {}",
                                    self.describe_here(&other)
                                ),
                            ));
                        }
                    }
                }
            }
            if row.len() != columns.len() {
                return Err(self.error(open.at, format!(
                    "this row of `{name}` has {} values but {} columns are expected{}",
                    row.len(),
                    columns.len(),
                    if self.schemas.contains_key(&table) { "" } else { " (no CREATE TABLE came before it, so phonelint assumed the current VICIdial schema)" }
                )));
            }
            rows.push(row);
            if !self.eat_punct(',')? {
                break;
            }
        }
        Ok((columns, rows))
    }

    /// After the rows: optional ON DUPLICATE KEY UPDATE ..., then `;` or the end.
    fn end_insert(&mut self) -> Result<(), ImportError> {
        match self.next()? {
            None => Ok(()),
            Some(Token {
                tok: Tok::Punct(';'),
                ..
            }) => Ok(()),
            Some(Token {
                tok: Tok::Word(w), ..
            }) if w.eq_ignore_ascii_case("ON") => self.skip_statement(),
            Some(token) => Err(self.error(
                token.at,
                format!(
                    "expected `,` or `;` after a row, found {}",
                    self.describe_here(&token.tok)
                ),
            )),
        }
    }

    fn column_name(&mut self) -> Result<String, ImportError> {
        let token = self.expect_any("a column name")?;
        match token.tok {
            Tok::Word(w) | Tok::Quoted(w) | Tok::Str(w) => Ok(w),
            other => Err(self.error(
                token.at,
                format!("expected a column name, found {}", describe(&other)),
            )),
        }
    }

    /// One value of a row, for `column` of a `kind` table when known: as
    /// MySQL reads it (see [`Reader::number`]); what MySQL would not read
    /// as a value is refused with its position.
    fn value(&mut self, kind: RecordKind, column: Option<&str>) -> Result<RawValue, ImportError> {
        let known = column.and_then(|name| {
            crate::vicidial::columns(kind)
                .iter()
                .find(|c| c.name.eq_ignore_ascii_case(name))
        });
        self.in_credential = column.is_some_and(crate::vicidial::is_credential_name);
        let context = Context {
            known: known.is_some(),
            integer: known.is_some_and(|c| matches!(c.ty, ColumnType::Integer { .. })),
        };
        let token = self.expect_any("a value")?;
        let at = token.at;
        let value = match token.tok {
            Tok::Str(s) if !self.utf8 && s.contains('\u{FFFD}') => {
                return Err(self.error(at, NOT_UTF8));
            }
            Tok::Str(s) => RawValue::Text(s),
            Tok::Number(n) => self.number(&n, at, false, context)?,
            Tok::Punct(sign @ ('-' | '+')) => {
                let number = self.expect_any("a number")?;
                match number.tok {
                    Tok::Number(n) => self.number(&n, number.at, sign == '-', context)?,
                    other => {
                        return Err(self.error(
                            number.at,
                            format!(
                                "expected a number after `{sign}`, found {}",
                                self.describe_here(&other)
                            ),
                        ));
                    }
                }
            }
            Tok::Word(w) if w.eq_ignore_ascii_case("NULL") => RawValue::Null,
            Tok::Word(w) if w.eq_ignore_ascii_case("DEFAULT") => RawValue::Default,
            Tok::Word(w) if w.eq_ignore_ascii_case("TRUE") => RawValue::Number("1".into()),
            Tok::Word(w) if w.eq_ignore_ascii_case("FALSE") => RawValue::Number("0".into()),
            // X'4142' and B'101', written without a space before the quote.
            Tok::Word(w)
                if matches!(w.as_str(), "X" | "x" | "B" | "b") && self.string_at(at + 1)? =>
            {
                let Some(Tok::Str(digits)) = self.next()?.map(|t| t.tok) else {
                    return Err(self.error(at, "expected a string"));
                };
                let hex = w.eq_ignore_ascii_case("X");
                let bytes = if hex {
                    hex_bytes(&digits, false)
                } else {
                    bit_bytes(&digits)
                };
                let Some(bytes) = bytes else {
                    return Err(self.error(
                        at,
                        if hex {
                            "a hex string X'...' needs an even number of hex digits (MySQL refuses it)"
                        } else {
                            "a bit string B'...' holds only 0 and 1 (MySQL refuses it)"
                        },
                    ));
                };
                if hex {
                    // Always a string, even in an integer column.
                    self.text_of(bytes, at)?
                } else {
                    self.bytes_value(bytes, at, false, context)?
                }
            }
            // A character-set introducer: _utf8mb4'text'.
            Tok::Word(w) if w.starts_with('_') => match self.expect_any("a string")?.tok {
                Tok::Str(s) => RawValue::Text(s),
                other => {
                    let found = self.describe_here(&other);
                    return Err(
                        self.error(at, format!("expected a string after `{w}`, found {found}"))
                    );
                }
            },
            other => {
                return Err(self.error(
                    at,
                    format!(
                        "unsupported value {}: phonelint imports strings, numbers and NULL",
                        self.describe_here(&other)
                    ),
                ));
            }
        };
        Ok(value)
    }

    /// Whether the next token is a string starting at `at` (no space before).
    fn string_at(&mut self, at: usize) -> Result<bool, ImportError> {
        Ok(matches!(self.peek()?, Some(Token { tok: Tok::Str(_), at: next }) if *next == at))
    }

    /// An unquoted number as MySQL reads it: `0x..` and `0b..` (hex and bit
    /// literals) are strings of their bytes in a text column and numbers in
    /// an integer one; a decimal number is stored as its canonical digits
    /// (`007` is `7`, `.5` is `0.5`); the exponent form is refused in a
    /// known column, since MySQL's formatting of it is not reproduced; any
    /// other word starting with a digit is a column name to MySQL: refused.
    fn number(
        &self,
        written: &str,
        at: usize,
        negative: bool,
        context: Context,
    ) -> Result<RawValue, ImportError> {
        let not_a_value = || {
            let shown = if self.in_credential {
                "this unquoted value (not shown: it is a credential's)".to_owned()
            } else {
                format!("`{written}`")
            };
            self.error(
                at,
                format!("{shown} is not a value: MySQL reads a word starting with a digit as a column name"),
            )
        };
        let bytes = if let Some(digits) = written.strip_prefix("0x") {
            hex_bytes(digits, true)
        } else if let Some(digits) = written.strip_prefix("0b") {
            bit_bytes(digits)
        } else {
            let Some(number) = Decimal::parse(written) else {
                return Err(not_a_value());
            };
            if number.exponent && context.known {
                return Err(self.error(
                    at,
                    "a number in exponent form: phonelint does not reproduce how MySQL stores it; write the value as a string",
                ));
            }
            return Ok(RawValue::Number(number.canonical(written, negative)));
        };
        match bytes {
            Some(bytes) => self.bytes_value(bytes, at, negative, context),
            None => Err(not_a_value()),
        }
    }

    /// A hex or bit literal: a number in an integer column (or negated), else
    /// the string of its bytes.
    fn bytes_value(
        &self,
        bytes: Vec<u8>,
        at: usize,
        negative: bool,
        context: Context,
    ) -> Result<RawValue, ImportError> {
        if !(context.integer || negative) {
            return self.text_of(bytes, at);
        }
        let significant: Vec<u8> = bytes.into_iter().skip_while(|b| *b == 0).collect();
        if significant.len() > 8 {
            return Err(self.error(at, "a number out of MySQL's 64-bit range"));
        }
        let value = significant
            .iter()
            .fold(0u64, |value, byte| (value << 8) | u64::from(*byte));
        Ok(RawValue::Number(if negative && value != 0 {
            format!("-{value}")
        } else {
            value.to_string()
        }))
    }

    /// The bytes of a hex or bit literal as text: they must be UTF-8.
    fn text_of(&self, bytes: Vec<u8>, at: usize) -> Result<RawValue, ImportError> {
        String::from_utf8(bytes)
            .map(RawValue::Text)
            .map_err(|_| self.error(at, NOT_UTF8))
    }
}

/// What a value's column tells about reading it.
#[derive(Debug, Clone, Copy)]
struct Context {
    /// A column of phonelint's model (not one it does not know).
    known: bool,
    integer: bool,
}

/// The bytes of hex digits; an odd count has a leading zero when `pad`
/// (`0x4` is `0x04`, X'414' is refused); `None` if empty or not hex.
fn hex_bytes(digits: &str, pad: bool) -> Option<Vec<u8>> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    if digits.len() % 2 == 1 && !pad {
        return None;
    }
    let padded = if digits.len() % 2 == 1 {
        format!("0{digits}")
    } else {
        digits.to_owned()
    };
    padded
        .as_bytes()
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok())
        .collect()
}

/// The bytes of binary digits, filled with zero bits on the left to whole
/// bytes (`0b101` is `0x05`); `None` if empty or not binary.
fn bit_bytes(digits: &str) -> Option<Vec<u8>> {
    if digits.is_empty() || !digits.bytes().all(|b| b == b'0' || b == b'1') {
        return None;
    }
    let padding = (8 - digits.len() % 8) % 8;
    let padded = format!("{}{digits}", "0".repeat(padding));
    padded
        .as_bytes()
        .chunks(8)
        .map(|byte| u8::from_str_radix(std::str::from_utf8(byte).ok()?, 2).ok())
        .collect()
}

/// A decimal literal: digits, a point, more digits, an exponent.
struct Decimal<'a> {
    whole: &'a str,
    fraction: Option<&'a str>,
    exponent: bool,
}

impl<'a> Decimal<'a> {
    fn parse(written: &'a str) -> Option<Self> {
        let (mantissa, exponent) = match written.find(['e', 'E']) {
            Some(e) => {
                let power = written.get(e + 1..)?;
                let power = power.strip_prefix(['+', '-']).unwrap_or(power);
                if power.is_empty() || !power.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                (written.get(..e)?, true)
            }
            None => (written, false),
        };
        let (whole, fraction) = match mantissa.split_once('.') {
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (mantissa, None),
        };
        let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
        let any = !whole.is_empty() || fraction.is_some_and(|f| !f.is_empty());
        (any && digits(whole) && fraction.is_none_or(digits)).then_some(Self {
            whole,
            fraction,
            exponent,
        })
    }

    /// As MySQL stores it in a text column: leading zeros dropped, a zero
    /// before a bare point, no point without digits after it (the exponent
    /// form is kept as written).
    fn canonical(&self, written: &str, negative: bool) -> String {
        let sign = if negative { "-" } else { "" };
        if self.exponent {
            return format!("{sign}{written}");
        }
        let whole = self.whole.trim_start_matches('0');
        let whole = if whole.is_empty() { "0" } else { whole };
        let fraction = self.fraction.filter(|f| !f.is_empty());
        let zero = whole == "0" && fraction.is_none_or(|f| f.bytes().all(|b| b == b'0'));
        let sign = if zero { "" } else { sign };
        match fraction {
            Some(fraction) => format!("{sign}{whole}.{fraction}"),
            None => format!("{sign}{whole}"),
        }
    }
}

fn is_index_keyword(word: &str) -> bool {
    [
        "PRIMARY",
        "UNIQUE",
        "KEY",
        "INDEX",
        "CONSTRAINT",
        "FULLTEXT",
        "SPATIAL",
        "FOREIGN",
        "CHECK",
        "PERIOD",
    ]
    .iter()
    .any(|k| k.eq_ignore_ascii_case(word))
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Word(w) => format!("`{w}`"),
        Tok::Quoted(w) => format!("`{w}`"),
        Tok::Str(_) => "a string".to_owned(),
        Tok::Number(n) => format!("the number {n}"),
        Tok::Punct(c) => format!("`{}`", c.escape_default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> RawValue {
        RawValue::Text(s.to_owned())
    }

    fn error(sql: &str) -> String {
        parse(sql, true).unwrap_err().to_string()
    }

    /// The tables of the INSERTs (each CREATE TABLE adds an empty one too).
    fn inserted(sql: &str) -> Vec<TableData> {
        let mut tables = parse(sql, true).unwrap();
        tables.retain(|table| !table.rows.is_empty());
        tables
    }

    #[test]
    fn string_escapes_follow_mysql() {
        let sql = r#"INSERT INTO phones (extension, fullname, company) VALUES ('a\'b''c', 'x\\y\n\t\0\Z\r\b\%\_\q', "dq ""é"" \"");"#;
        let tables = parse(sql, true).unwrap();
        assert_eq!(
            tables[0].rows[0],
            [
                text("a'b'c"),
                text("x\\y\n\t\0\u{1A}\r\u{8}\\%\\_q"),
                text("dq \"é\" \""),
            ]
        );
    }

    #[test]
    fn create_table_gives_the_column_order_for_inserts_without_a_list() {
        let sql = "/*M!999999\\- enable the sandbox mode */ \n\
            -- MariaDB dump\n\
            /*!40101 SET NAMES utf8mb4 */;\n\
            DROP TABLE IF EXISTS `phones`;\n\
            CREATE TABLE `phones` (\n\
              `extension` varchar(100) DEFAULT NULL,\n\
              `server_ip` varchar(15) DEFAULT NULL,\n\
              `protocol` enum('SIP','IAX2') DEFAULT 'SIP',\n\
              `messages` int(4) DEFAULT NULL,\n\
              UNIQUE KEY `extenserver` (`extension`,`server_ip`),\n\
              KEY `server_ip` (`server_ip`)\n\
            ) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4;\n\
            LOCK TABLES `phones` WRITE;\n\
            /*!40000 ALTER TABLE `phones` DISABLE KEYS */;\n\
            INSERT INTO `phones` VALUES ('cc100','10.0.0.1','SIP',-3),\n('cc101','10.0.0.1',NULL,0);\n\
            # a hash comment\n\
            INSERT INTO conferences VALUES ('8600001', 'x;y');\n\
            INSERT INTO server_updater SET server_ip='10.10.10.15';\n\
            UNLOCK TABLES;\n";
        let created = parse(sql, true).unwrap();
        assert!(created[0].rows.is_empty());
        assert_eq!(created[0].columns, created[1].columns);
        let tables = inserted(sql);
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].kind, RecordKind::Phone);
        assert_eq!(
            tables[0].columns,
            ["extension", "server_ip", "protocol", "messages"]
        );
        assert_eq!(
            tables[0].rows,
            [
                vec![
                    text("cc100"),
                    text("10.0.0.1"),
                    text("SIP"),
                    RawValue::Number("-3".into())
                ],
                vec![
                    text("cc101"),
                    text("10.0.0.1"),
                    RawValue::Null,
                    RawValue::Number("0".into())
                ],
            ]
        );
    }

    #[test]
    fn older_schemas_column_lists_set_and_qualified_names() {
        let sql = "CREATE TABLE phones_alias (alias_id VARCHAR(20) NOT NULL, alias_name VARCHAR(50), logins_list VARCHAR(255), PRIMARY KEY (alias_id));\n\
            INSERT INTO phones_alias VALUES('front','Front','a,b');\n\
            insert ignore into `db`.`servers` (server_id,server_ip)values('S1','10.0.0.1') ON DUPLICATE KEY UPDATE server_ip='x';\n\
            REPLACE INTO servers SET server_id = 'S2', server_ip = _utf8mb4'10.0.0.2'";
        let tables = inserted(sql);
        assert_eq!(tables[0].columns, ["alias_id", "alias_name", "logins_list"]);
        assert_eq!(tables[0].rows[0][2], text("a,b"));
        assert_eq!(tables[1].kind, RecordKind::Server);
        assert_eq!(tables[1].rows[0], [text("S1"), text("10.0.0.1")]);
        assert_eq!(tables[2].columns, ["server_id", "server_ip"]);
        assert_eq!(tables[2].rows[0], [text("S2"), text("10.0.0.2")]);
    }

    #[test]
    fn ansi_quotes_dumps_name_tables_with_double_quotes() {
        let sql = "CREATE TABLE \"phones\" (\"extension\" varchar(100), \"login\" varchar(15));\n\
                   INSERT INTO \"phones\" VALUES ('cc100','cc100');";
        let tables = inserted(sql);
        assert_eq!(tables[0].columns, ["extension", "login"]);
        assert_eq!(tables[0].rows[0][1], text("cc100"));
    }

    #[test]
    fn routines_between_delimiters_are_skipped() {
        let sql = "DELIMITER ;;\n\
            CREATE PROCEDURE p() BEGIN INSERT INTO phones VALUES (x); SELECT 1; END ;;\n\
            DELIMITER ;\n\
            INSERT INTO phones (extension) VALUES ('cc100');\n\
            DELIMITER ;\n";
        let tables = parse(sql, true).unwrap();
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].rows, [vec![text("cc100")]]);
    }

    #[test]
    fn without_create_table_the_current_schema_is_assumed() {
        let tables = parse(
            "INSERT INTO phones_alias VALUES ('a','b','c',DEFAULT);",
            true,
        )
        .unwrap();
        assert_eq!(tables[0].rows[0][3], RawValue::Default);
        assert_eq!(
            error("INSERT INTO phones_alias VALUES ('a','b');"),
            "line 1, column 33: this row of `phones_alias` has 2 values but 4 columns are expected (no CREATE TABLE came before it, so phonelint assumed the current VICIdial schema)"
        );
    }

    #[test]
    fn numbers_are_stored_as_mysql_stores_them() {
        let canonical = |written: &str, negative: bool| {
            Decimal::parse(written).map(|d| d.canonical(written, negative))
        };
        assert_eq!(canonical("007", false).as_deref(), Some("7"));
        assert_eq!(canonical(".5", false).as_deref(), Some("0.5"));
        assert_eq!(canonical("00.50", false).as_deref(), Some("0.50"));
        assert_eq!(canonical("1.", false).as_deref(), Some("1"));
        assert_eq!(canonical("0", true).as_deref(), Some("0"));
        assert_eq!(canonical("007", true).as_deref(), Some("-7"));
        assert_eq!(canonical("1e3", false).as_deref(), Some("1e3"));
        for bad in ["12abc", "1.2.3", ".", "1e", "e3", "1e+"] {
            assert!(Decimal::parse(bad).is_none(), "{bad}");
        }
        assert_eq!(hex_bytes("4142", false), Some(vec![0x41, 0x42]));
        assert_eq!(hex_bytes("4", true), Some(vec![0x04]));
        assert_eq!(hex_bytes("414", false), None);
        assert_eq!(hex_bytes("", true), None);
        assert_eq!(bit_bytes("101"), Some(vec![5]));
        assert_eq!(bit_bytes("1000001100000"), Some(vec![0x10, 0x60]));
        assert_eq!(bit_bytes("102"), None);
        let rows = |sql: &str| parse(sql, true).unwrap()[0].rows.clone();
        assert_eq!(
            rows("INSERT INTO phones (fullname, phone_ring_timeout) VALUES (-0x41, 0b101);"),
            [vec![
                RawValue::Number("-65".into()),
                RawValue::Number("5".into())
            ]]
        );
        assert!(
            parse(
                "INSERT INTO phones (phone_ring_timeout) VALUES (0x010000000000000000);",
                true
            )
            .is_err()
        );
        assert!(parse("INSERT INTO phones (fullname) VALUES (0xFF);", true).is_err());
        assert!(parse("INSERT INTO phones (fullname) VALUES (1e3);", true).is_err());
        assert_eq!(
            rows("INSERT INTO phones (not_a_column) VALUES (1e3);"),
            [vec![RawValue::Number("1e3".into())]]
        );
    }

    #[test]
    fn malformed_dumps_give_line_and_column() {
        assert_eq!(
            error(
                "-- x\nINSERT INTO phones (extension) VALUES\n  ('cc100'),\n  ('it''s broken);\n"
            ),
            "line 4, column 4: unterminated string"
        );
        assert_eq!(
            error("INSERT INTO phones (extension) VALUES ('a') ('b');"),
            "line 1, column 45: expected `,` or `;` after a row, found `(`"
        );
        assert_eq!(
            error("INSERT INTO phones (extension) VALUES (now());"),
            "line 1, column 40: unsupported value `now`: phonelint imports strings, numbers and NULL"
        );
        assert_eq!(
            error("INSERT INTO phones (extension) VALUES ('a'"),
            "line 1, column 43: unexpected end of dump, expected `,` or `)`"
        );
        assert_eq!(
            error("/* never closed\nINSERT"),
            "line 1, column 1: unterminated comment"
        );
        assert_eq!(
            error("CREATE TABLE phones (\n  `extension` varchar(100);\n"),
            "line 2, column 27: `;` inside CREATE TABLE `phones`: a `)` is missing"
        );
        assert_eq!(
            error("INSERT INTO phones (extension) SELECT 1;"),
            "line 1, column 32: expected VALUES after INSERT INTO `phones`, found `SELECT` (INSERT ... SELECT cannot be imported)"
        );
        // Other tables are skipped, malformed or not, as long as they tokenize.
        assert!(
            parse("INSERT INTO conferences VALUES (now(), 'x');", true)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn the_real_dump_cut_anywhere_does_not_panic() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/vicidial-data/mysqldump-phones.sql"
        );
        let dump = std::fs::read_to_string(path).unwrap();
        let whole = parse(&dump, true).unwrap();
        assert_eq!(whole.iter().map(|t| t.rows.len()).sum::<usize>(), 153);
        let mut cut = 0;
        while cut < dump.len() {
            if let Some(prefix) = dump.get(..cut) {
                // Any result is fine; a panic is not.
                let _ = parse(prefix, true);
            }
            cut += 997;
        }
    }

    #[test]
    fn hostile_input_does_not_panic() {
        for sql in [
            "'",
            "`",
            "\\",
            "INSERT",
            "INSERT INTO",
            "INSERT INTO phones (",
            "INSERT INTO phones VALUES (-",
            "CREATE TABLE phones (",
            "é'é",
            "INSERT INTO phones (a) VALUES ('\\",
            "--",
            "/*",
            "-",
            "1e+",
            "INSERT INTO `phones` VALUES (_x 1)",
        ] {
            let _ = parse(sql, true);
        }
    }
}
