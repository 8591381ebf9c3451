//! Classifying SQL by what it would do: read, write, delete, execute or
//! administer.
//!
//! The text is lexed twice, once as standard SQL / PostgreSQL (`''` in
//! strings, nested `/* */`, `$$` quoting, `E'...'` escapes) and once as
//! MySQL (backslash escapes, `#` comments, `/*! ... */` comments that MySQL
//! executes), and the worse reading wins: a quote trick that hides a
//! statement from one dialect does not hide it from the other. Comments and
//! string literals are dropped, so `SELECT 'DROP TABLE t'` is a read, and
//! every statement of a stacked query counts (`SELECT 1; DROP TABLE t` is
//! administrative).

/// What a statement does, from harmless to most dangerous.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SqlClass {
    /// Session statements (`BEGIN`, `SET`, `USE`, ...).
    Neutral,
    /// `SELECT`, `SHOW`, `EXPLAIN`, ...
    Read,
    /// `INSERT`, `UPDATE`, `MERGE`, `CREATE TABLE`, ...
    Write,
    /// `DELETE`.
    Delete,
    /// `EXEC`, `CALL`, `DO`: runs code whose effect is unknown.
    Execute,
    /// `DROP`, `TRUNCATE`, `ALTER`, `GRANT`, `REVOKE`, privileged functions.
    Admin,
}

/// One statement of a SQL text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlStatement {
    /// The keyword that decided the class (`SELECT`, `DELETE`, ...).
    pub keyword: String,
    /// What the statement does.
    pub class: SqlClass,
    /// An `UPDATE`/`DELETE` without `WHERE`, or a `TRUNCATE`: every row.
    pub unbounded: bool,
    /// Why, when the keyword alone does not say (`calls pg_read_file`).
    pub detail: Option<String>,
}

/// A SQL text, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlAnalysis {
    /// The worst class of all statements.
    pub class: SqlClass,
    /// Every statement that does something, in order.
    pub statements: Vec<SqlStatement>,
}

impl SqlAnalysis {
    /// The statement that decided the class.
    #[must_use]
    pub fn worst(&self) -> Option<&SqlStatement> {
        self.statements
            .iter()
            .max_by_key(|s| (s.class, s.unbounded))
    }

    /// Whether several statements are stacked in one text.
    #[must_use]
    pub fn stacked(&self) -> bool {
        self.statements.len() > 1
    }

    /// Whether any statement touches every row.
    #[must_use]
    pub fn unbounded(&self) -> bool {
        self.statements.iter().any(|s| s.unbounded)
    }
}

/// Classifies a SQL text (see the module docs).
#[must_use]
pub fn analyze_sql(text: &str) -> SqlAnalysis {
    let standard = analyze_tokens(&lex(text, Dialect::Standard));
    let mysql = analyze_tokens(&lex(text, Dialect::MySql));
    let rank = |a: &SqlAnalysis| (a.class, a.unbounded(), a.statements.len());
    if rank(&mysql) > rank(&standard) {
        mysql
    } else {
        standard
    }
}

const STATEMENT_STARTS: [&str; 31] = [
    "SELECT", "WITH", "INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "REPLACE", "DROP",
    "TRUNCATE", "ALTER", "GRANT", "REVOKE", "CREATE", "SHOW", "EXPLAIN", "DESCRIBE", "COPY",
    "CALL", "EXEC", "EXECUTE", "VALUES", "PRAGMA", "BEGIN", "SET", "USE", "VACUUM", "LOCK",
    "RENAME", "ATTACH", "LOAD",
];

/// Statements that may open a stacked query in a SQL argument: harmless
/// themselves (`START TRANSACTION; DROP TABLE t`), or run what follows.
const CONTEXT_STARTS: [&str; 33] = [
    "START",
    "COMMIT",
    "ROLLBACK",
    "SAVEPOINT",
    "RELEASE",
    "END",
    "ABORT",
    "DECLARE",
    "DEALLOCATE",
    "PREPARE",
    "DO",
    "HANDLER",
    "UNLOCK",
    "DESC",
    "TABLE",
    "ANALYZE",
    "CHECKPOINT",
    "LISTEN",
    "NOTIFY",
    "DISCARD",
    "FETCH",
    "CLOSE",
    "MOVE",
    "RESET",
    "DETACH",
    "REINDEX",
    "CLUSTER",
    "SHUTDOWN",
    "KILL",
    "FLUSH",
    "PURGE",
    "INSTALL",
    "UNINSTALL",
];

/// Whether a text reads as SQL. With `sql_context` (the argument is named
/// `query`/`sql`, or the tool is a database tool) a statement keyword at the
/// start is enough; otherwise the text needs an unmistakable shape
/// (`DELETE FROM`, `UPDATE t SET`, `DROP TABLE`, ...) so prose is not SQL.
/// Both dialects are read, so a MySQL comment does not hide the statement.
#[must_use]
pub fn looks_like_sql(text: &str, sql_context: bool) -> bool {
    may_start_a_statement(text, sql_context)
        && [Dialect::Standard, Dialect::MySql]
            .into_iter()
            .any(|dialect| shaped_like_sql(&lex(text, dialect), sql_context))
}

fn shaped_like_sql(tokens: &[Token], sql_context: bool) -> bool {
    let words: Vec<&str> = tokens
        .iter()
        .skip_while(|t| matches!(t, Token::Punct('(') | Token::Semicolon))
        .filter_map(Token::word)
        .collect();
    let Some(first) = words.first() else {
        return false;
    };
    if sql_context {
        return STATEMENT_STARTS.contains(first) || CONTEXT_STARTS.contains(first);
    }
    if !STATEMENT_STARTS.contains(first) {
        return false;
    }
    let pair = |a: &str, bs: &[&str]| {
        words
            .windows(2)
            .any(|w| w.first() == Some(&a) && w.get(1).is_some_and(|b| bs.contains(b)))
    };
    let update_set = words
        .windows(3)
        .any(|w| w.first() == Some(&"UPDATE") && w.get(2) == Some(&"SET"));
    let select_star = tokens.windows(2).any(|w| {
        matches!(w.first(), Some(Token::Word(s)) if s == "SELECT")
            && matches!(w.get(1), Some(Token::Punct('*')))
    });
    update_set
        || select_star
        || pair("INSERT", &["INTO"])
        || pair("DELETE", &["FROM"])
        || pair("DROP", &OBJECTS)
        || pair("CREATE", &OBJECTS)
        || pair("ALTER", &OBJECTS)
        || pair("TRUNCATE", &["TABLE"])
        || (words.contains(&"GRANT") && words.contains(&"TO"))
}

/// A cheap first look: SQL starts (after blanks) with a comment, a
/// parenthesis, a semicolon or a statement keyword. Most argument texts
/// fail this at their first characters, before any lexing.
fn may_start_a_statement(text: &str, sql_context: bool) -> bool {
    let t = text.trim_start();
    if t.starts_with("--") || t.starts_with("/*") || t.starts_with(['(', '#', ';']) {
        return true;
    }
    let word_end = t
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(t.len());
    let word = t.get(..word_end).unwrap_or("");
    let known = |starts: &[&str]| starts.iter().any(|k| k.eq_ignore_ascii_case(word));
    (2..=10).contains(&word.len())
        && (known(&STATEMENT_STARTS) || (sql_context && known(&CONTEXT_STARTS)))
}

const OBJECTS: [&str; 10] = [
    "TABLE",
    "DATABASE",
    "SCHEMA",
    "VIEW",
    "INDEX",
    "USER",
    "ROLE",
    "FUNCTION",
    "PROCEDURE",
    "TRIGGER",
];

#[derive(Debug, Clone, PartialEq)]
enum Token {
    /// An unquoted word, its ASCII letters uppercased (keywords are ASCII).
    Word(String),
    /// A quoted identifier or a literal: never a keyword.
    Opaque,
    Semicolon,
    Punct(char),
}

impl Token {
    fn word(&self) -> Option<&str> {
        match self {
            Token::Word(w) => Some(w),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dialect {
    Standard,
    MySql,
}

fn lex(text: &str, dialect: Dialect) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let at = |k: usize| chars.get(k).copied();
    let mut tokens = Vec::new();
    let mut i = 0;
    let mut in_mysql_exec_comment = false;
    while let Some(c) = at(i) {
        match c {
            c if c.is_whitespace() => i += 1,
            '-' if at(i + 1) == Some('-')
                && (dialect == Dialect::Standard || at(i + 2).is_none_or(char::is_whitespace)) =>
            {
                while at(i).is_some_and(|d| d != '\n') {
                    i += 1;
                }
            }
            '#' if dialect == Dialect::MySql => {
                while at(i).is_some_and(|d| d != '\n') {
                    i += 1;
                }
            }
            '/' if at(i + 1) == Some('*') => {
                if dialect == Dialect::MySql && matches!(at(i + 2), Some('!' | '+')) {
                    // MySQL runs what is inside `/*! ... */`.
                    in_mysql_exec_comment = true;
                    i += 3;
                    while at(i).is_some_and(|d| d.is_ascii_digit()) {
                        i += 1;
                    }
                } else {
                    i = skip_block_comment(&chars, i + 2, dialect == Dialect::Standard);
                }
            }
            '*' if in_mysql_exec_comment && at(i + 1) == Some('/') => {
                in_mysql_exec_comment = false;
                i += 2;
            }
            '\'' => {
                let escapes = dialect == Dialect::MySql || escape_prefix(&chars, i);
                i = skip_quoted(&chars, i + 1, '\'', escapes);
                tokens.push(Token::Opaque);
            }
            '"' => {
                i = skip_quoted(&chars, i + 1, '"', dialect == Dialect::MySql);
                tokens.push(Token::Opaque);
            }
            '`' if dialect == Dialect::MySql => {
                i = skip_quoted(&chars, i + 1, '`', false);
                tokens.push(Token::Opaque);
            }
            '[' if dialect == Dialect::Standard => {
                // SQL Server's bracketed identifiers.
                while at(i).is_some_and(|d| d != ']') {
                    i += 1;
                }
                i += 1;
                tokens.push(Token::Opaque);
            }
            '$' if dialect == Dialect::Standard => match dollar_tag(&chars, i) {
                Some(tag_len) => {
                    i = skip_dollar_quoted(&chars, i, tag_len);
                    tokens.push(Token::Opaque);
                }
                None => {
                    i += 1;
                    while at(i).is_some_and(|d| d.is_ascii_digit()) {
                        i += 1;
                    }
                    tokens.push(Token::Opaque);
                }
            },
            ';' => {
                tokens.push(Token::Semicolon);
                i += 1;
            }
            c if c.is_alphanumeric() || c == '_' => {
                let start = i;
                while at(i).is_some_and(|d| d.is_alphanumeric() || d == '_' || d == '$') {
                    i += 1;
                }
                let word: String = chars.get(start..i).unwrap_or_default().iter().collect();
                if word.starts_with(|d: char| d.is_ascii_digit()) {
                    tokens.push(Token::Opaque);
                } else {
                    tokens.push(Token::Word(word.to_ascii_uppercase()));
                }
            }
            other => {
                tokens.push(Token::Punct(other));
                i += 1;
            }
        }
    }
    tokens
}

/// Whether the quote at `i` opens a PostgreSQL `E'...'` escape string.
fn escape_prefix(chars: &[char], i: usize) -> bool {
    let prefix = i.checked_sub(1).and_then(|p| chars.get(p));
    let before = i.checked_sub(2).and_then(|p| chars.get(p));
    matches!(prefix, Some('e' | 'E')) && !before.is_some_and(|b| b.is_alphanumeric() || *b == '_')
}

fn skip_block_comment(chars: &[char], mut i: usize, nested: bool) -> usize {
    let mut depth = 1usize;
    while let Some(&c) = chars.get(i) {
        if c == '*' && chars.get(i + 1) == Some(&'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else if nested && c == '/' && chars.get(i + 1) == Some(&'*') {
            depth += 1;
            i += 2;
        } else {
            i += 1;
        }
    }
    i
}

fn skip_quoted(chars: &[char], mut i: usize, quote: char, backslash: bool) -> usize {
    while let Some(&c) = chars.get(i) {
        if backslash && c == '\\' {
            i += 2;
        } else if c == quote {
            if chars.get(i + 1) == Some(&quote) {
                i += 2;
            } else {
                return i + 1;
            }
        } else {
            i += 1;
        }
    }
    i
}

/// The length of a `$tag$` opener at `i`, if there is one.
fn dollar_tag(chars: &[char], i: usize) -> Option<usize> {
    let mut j = i + 1;
    while let Some(&c) = chars.get(j) {
        if c == '$' {
            let tag_ok = chars.get(i + 1).is_none_or(|first| !first.is_ascii_digit());
            return tag_ok.then_some(j - i + 1);
        }
        if !(c.is_alphanumeric() || c == '_') {
            return None;
        }
        j += 1;
    }
    None
}

fn skip_dollar_quoted(chars: &[char], i: usize, tag_len: usize) -> usize {
    let tag = chars.get(i..i + tag_len).unwrap_or_default();
    let mut j = i + tag_len;
    while j < chars.len() {
        if chars.get(j..j + tag_len) == Some(tag) {
            return j + tag_len;
        }
        j += 1;
    }
    chars.len()
}

fn analyze_tokens(tokens: &[Token]) -> SqlAnalysis {
    let statements: Vec<SqlStatement> = tokens
        .split(|t| *t == Token::Semicolon)
        .filter_map(classify_statement)
        .filter(|s| s.class != SqlClass::Neutral)
        .collect();
    let class = statements
        .iter()
        .map(|s| s.class)
        .max()
        .unwrap_or(SqlClass::Neutral);
    SqlAnalysis { class, statements }
}

const PRIVILEGED_FUNCTIONS: [&str; 16] = [
    "PG_READ_FILE",
    "PG_READ_BINARY_FILE",
    "PG_LS_DIR",
    "PG_TERMINATE_BACKEND",
    "PG_CANCEL_BACKEND",
    "PG_RELOAD_CONF",
    "LO_IMPORT",
    "LO_EXPORT",
    "DBLINK",
    "DBLINK_EXEC",
    "XP_CMDSHELL",
    "SYS_EXEC",
    "SYS_EVAL",
    "LOAD_FILE",
    "OPENROWSET",
    "OPENDATASOURCE",
];

fn statement(keyword: &str, class: SqlClass) -> SqlStatement {
    SqlStatement {
        keyword: keyword.to_owned(),
        class,
        unbounded: false,
        detail: None,
    }
}

fn classify_statement(tokens: &[Token]) -> Option<SqlStatement> {
    let words: Vec<&str> = tokens.iter().filter_map(Token::word).collect();
    let first = *words.first()?;
    let has = |w: &str| words.contains(&w);
    let privileged = words.iter().find(|w| PRIVILEGED_FUNCTIONS.contains(w));
    if let Some(function) = privileged {
        let mut s = statement(first, SqlClass::Admin);
        s.detail = Some(format!(
            "calls the privileged function `{}`",
            crate::text::lowercase(function)
        ));
        return Some(s);
    }
    let rest_from = |keys: &[&str]| -> Option<SqlStatement> {
        let start = tokens
            .iter()
            .position(|t| t.word().is_some_and(|w| keys.contains(&w)))?;
        classify_statement(tokens.get(start..)?)
    };
    let s = match first {
        "SELECT" => {
            let into = words
                .windows(2)
                .find(|w| w.first() == Some(&"INTO"))
                .and_then(|w| w.get(1).copied());
            match into {
                Some(target @ ("OUTFILE" | "DUMPFILE")) => {
                    let mut s = statement("SELECT", SqlClass::Write);
                    s.detail = Some(format!("writes a file with `INTO {target}`"));
                    s
                }
                Some(_) => {
                    let mut s = statement("SELECT", SqlClass::Write);
                    s.detail = Some("creates a table with `SELECT INTO`".to_owned());
                    s
                }
                None => statement("SELECT", SqlClass::Read),
            }
        }
        "WITH" => {
            let worst = words
                .iter()
                .filter_map(|w| match *w {
                    "DELETE" => Some((SqlClass::Delete, *w)),
                    "INSERT" | "UPDATE" | "MERGE" => Some((SqlClass::Write, *w)),
                    _ => None,
                })
                .max_by_key(|(c, _)| *c);
            match worst {
                Some((class, keyword)) => {
                    let mut s = statement(keyword, class);
                    s.detail = Some(format!("`WITH` query that runs `{keyword}`"));
                    s.unbounded = class >= SqlClass::Write && !has("WHERE");
                    s
                }
                None => statement("SELECT", SqlClass::Read),
            }
        }
        "EXPLAIN" if has("ANALYZE") => {
            let mut inner = rest_from(&["SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "WITH"])?;
            inner.detail = Some(format!("`EXPLAIN ANALYZE` runs the `{}`", inner.keyword));
            inner
        }
        "SHOW" | "EXPLAIN" | "DESCRIBE" | "DESC" | "VALUES" | "TABLE" => {
            statement(first, SqlClass::Read)
        }
        "PRAGMA" => statement(
            first,
            if tokens.contains(&Token::Punct('=')) {
                SqlClass::Write
            } else {
                SqlClass::Read
            },
        ),
        "INSERT" | "MERGE" | "UPSERT" | "REPLACE" | "LOAD" => statement(first, SqlClass::Write),
        "UPDATE" => {
            let mut s = statement(first, SqlClass::Write);
            s.unbounded = !has("WHERE");
            s
        }
        "DELETE" => {
            let mut s = statement(first, SqlClass::Delete);
            s.unbounded = !has("WHERE");
            s
        }
        "COPY" if has("PROGRAM") => {
            let mut s = statement(first, SqlClass::Admin);
            s.detail = Some("`COPY ... PROGRAM` runs a program on the database server".to_owned());
            s
        }
        "COPY" => statement(first, SqlClass::Write),
        "TRUNCATE" => {
            let mut s = statement(first, SqlClass::Admin);
            s.unbounded = true;
            s
        }
        "DROP" | "ALTER" | "GRANT" | "REVOKE" | "RENAME" | "ATTACH" | "DETACH" | "VACUUM"
        | "REINDEX" | "CLUSTER" | "SHUTDOWN" | "KILL" | "FLUSH" | "PURGE" | "INSTALL"
        | "UNINSTALL" => statement(first, SqlClass::Admin),
        "CREATE" => {
            let admin = words.iter().skip(1).take(4).any(|w| {
                matches!(
                    *w,
                    "USER"
                        | "ROLE"
                        | "FUNCTION"
                        | "PROCEDURE"
                        | "TRIGGER"
                        | "EXTENSION"
                        | "LANGUAGE"
                        | "SERVER"
                        | "RULE"
                )
            });
            statement(
                first,
                if admin {
                    SqlClass::Admin
                } else {
                    SqlClass::Write
                },
            )
        }
        "EXEC" | "EXECUTE" | "CALL" | "DO" | "HANDLER" => statement(first, SqlClass::Execute),
        "PREPARE" => rest_from(&[
            "SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "WITH", "DROP", "TRUNCATE", "ALTER",
            "GRANT",
        ])
        .unwrap_or_else(|| statement(first, SqlClass::Neutral)),
        "SET" => {
            let admin = words.get(1).is_some_and(|w| {
                matches!(
                    *w,
                    "ROLE" | "GLOBAL" | "PERSIST" | "PERSIST_ONLY" | "PASSWORD"
                )
            }) || has("AUTHORIZATION");
            statement(
                first,
                if admin {
                    SqlClass::Admin
                } else {
                    SqlClass::Neutral
                },
            )
        }
        "BEGIN" | "START" | "COMMIT" | "ROLLBACK" | "SAVEPOINT" | "RELEASE" | "USE" | "DECLARE"
        | "DEALLOCATE" | "LOCK" | "UNLOCK" | "END" | "ABORT" | "ANALYZE" | "CHECKPOINT"
        | "LISTEN" | "NOTIFY" | "DISCARD" | "FETCH" | "CLOSE" | "MOVE" | "RESET" => {
            statement(first, SqlClass::Neutral)
        }
        other => {
            let mut s = statement(other, SqlClass::Write);
            s.detail = Some(format!(
                "unrecognized statement `{other}`, treated as a write"
            ));
            s
        }
    };
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_classify_by_what_they_do() {
        use SqlClass::*;
        for (text, expected) in [
            ("SELECT * FROM users WHERE active = true", Read),
            ("select 1", Read),
            ("  \n\t SeLeCt 1", Read),
            ("(SELECT 1)", Read),
            ("SHOW TABLES", Read),
            ("EXPLAIN SELECT 1", Read),
            ("EXPLAIN ANALYZE DELETE FROM t WHERE id = 1", Delete),
            ("INSERT INTO t VALUES (1)", Write),
            ("UPDATE t SET a = 1 WHERE id = 2", Write),
            (
                "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE",
                Write,
            ),
            ("DELETE FROM users WHERE last_login < '2025-01-01'", Delete),
            ("DROP TABLE users", Admin),
            ("TRUNCATE users", Admin),
            ("ALTER TABLE t ADD COLUMN c int", Admin),
            ("GRANT ALL ON t TO bob", Admin),
            ("CREATE TABLE t (a int)", Write),
            ("CREATE USER bob", Admin),
            ("CALL cleanup()", Execute),
            (
                "WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d",
                Delete,
            ),
            ("WITH x AS (SELECT 1) SELECT * FROM x", Read),
            ("SELECT 1; DROP TABLE t", Admin),
            ("SELECT 'DROP TABLE t'", Read),
            (
                "SELECT * FROM t WHERE note = 'delete everything; drop table x'",
                Read,
            ),
            ("/* DROP TABLE t */ SELECT 1", Read),
            ("-- DROP TABLE t\nSELECT 1", Read),
            ("SEL/**/ECT 1", Write),
            ("DELETE/**/FROM t", Delete),
            ("/*! DROP TABLE t */ SELECT 1", Admin),
            ("SELECT 1 # comment\n; DROP TABLE t", Admin),
            ("SELECT '\\'; DROP TABLE t; --'", Admin),
            ("SELECT '\\'' ; DROP TABLE t; --'", Admin),
            // `$$` quotes in PostgreSQL but not in MySQL, where the DROP runs.
            ("SELECT $$; DROP TABLE t$$", Admin),
            ("SELECT $$; DROP TABLE t$$ -- x", Admin),
            ("SELECT pg_read_file('/etc/passwd')", Admin),
            ("COPY t TO PROGRAM 'rm -rf /'", Admin),
            ("SELECT * INTO OUTFILE '/tmp/x' FROM t", Write),
            ("BEGIN; DELETE FROM t WHERE id = 1; COMMIT", Delete),
            ("SET ROLE admin", Admin),
        ] {
            assert_eq!(analyze_sql(text).class, expected, "{text}");
        }
    }

    #[test]
    fn unbounded_and_stacked() {
        assert!(analyze_sql("DELETE FROM t").unbounded());
        assert!(!analyze_sql("DELETE FROM t WHERE id = 1").unbounded());
        assert!(analyze_sql("UPDATE t SET a = 1").unbounded());
        assert!(analyze_sql("SELECT 1; SELECT 2").stacked());
        assert!(!analyze_sql("SELECT 1;").stacked());
    }

    #[test]
    fn sql_is_told_from_prose() {
        for (text, context, expected) in [
            ("SELECT * FROM users", false, true),
            ("DELETE FROM users", false, true),
            ("UPDATE users SET a = 1", false, true),
            ("DROP TABLE users", false, true),
            ("Select the best option from the list", false, false),
            ("Update the README please", false, false),
            ("select name from users", true, true),
            ("hello world", true, false),
            ("", true, false),
            ("START TRANSACTION; DROP TABLE t", true, true),
            ("; DROP TABLE t", true, true),
            ("# note\nDROP TABLE t", true, true),
            ("/*! DROP TABLE t */", true, true),
            ("DO $$ BEGIN END $$", true, true),
            ("Do the DROP TABLE migration tomorrow", false, false),
        ] {
            assert_eq!(looks_like_sql(text, context), expected, "{text}");
        }
    }
}
