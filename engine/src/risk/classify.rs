//! What a tool call does: its namespace, verb and resources, derived from
//! the tool's name and its arguments when the caller did not give them.

use std::borrow::Cow;
use std::sync::LazyLock;

use crate::call::ToolCall;
use crate::few::Few;
use crate::index::FnvMap;
use crate::normalize::path::{looks_like_path, normalize_path};
use crate::normalize::shell::{
    CommandLine, parse_argv, parse_command_line, parse_command_line_with_args,
};
use crate::normalize::url::normalize_url;
use crate::risk::args::{Args, TextArg};
use crate::risk::semantic;
use crate::risk::sql::{SqlAnalysis, SqlClass, analyze_sql, looks_like_sql};
use crate::risk::weights::Weight;
use crate::text;

/// What kind of change a call makes, from harmless to most dangerous.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum VerbClass {
    Read,
    /// Nothing tells what the tool does.
    Unknown,
    Write,
    Delete,
    Execute,
    Admin,
}

impl VerbClass {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Unknown => "unknown",
            Self::Write => "write",
            Self::Delete => "delete",
            Self::Execute => "execute",
            Self::Admin => "admin",
        }
    }

    pub(crate) fn factor(self) -> Weight {
        match self {
            Self::Read => Weight::VerbRead,
            Self::Unknown => Weight::VerbUnknown,
            Self::Write => Weight::VerbWrite,
            Self::Delete => Weight::VerbDelete,
            Self::Execute => Weight::VerbExecute,
            Self::Admin => Weight::VerbAdmin,
        }
    }

    fn of_sql(class: SqlClass) -> Self {
        match class {
            SqlClass::Neutral | SqlClass::Read => Self::Read,
            SqlClass::Write => Self::Write,
            SqlClass::Delete => Self::Delete,
            SqlClass::Execute => Self::Execute,
            SqlClass::Admin => Self::Admin,
        }
    }
}

/// The call as the risk model and the rules see it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Subject {
    pub(crate) namespace: Cow<'static, str>,
    /// The verb rules match on (given, or the class name).
    pub(crate) verb: Cow<'static, str>,
    pub(crate) class: VerbClass,
    /// Why the class is what it is, in one line.
    pub(crate) detail: String,
    /// What the call touches; see [`Subject::resources`].
    touches: Touches,
    pub(crate) sql: Option<SqlAnalysis>,
    pub(crate) shell: Option<CommandLine>,
    /// Every filesystem path the call mentions, normalized.
    pub(crate) paths: Few<String>,
    /// Every URL the call mentions, normalized.
    pub(crate) urls: Few<String>,
    /// The HTTP method, for network calls.
    pub(crate) method: Option<String>,
    pub(crate) database: Option<String>,
    /// The tool name's words that the classifiers know.
    pub(crate) words: Vec<&'static Word>,
    /// Text arguments too large to inspect (key names).
    pub(crate) oversized: Vec<String>,
    /// Values of `env`/`environment`/`stage`/`cluster` arguments.
    pub(crate) environments: Vec<String>,
    /// Why the call touches many things at once, when it does.
    pub(crate) bulk: Option<String>,
}

const SQL_KEYS: [&str; 10] = [
    "query",
    "sql",
    "statement",
    "stmt",
    "sql_query",
    "sqlquery",
    "raw_sql",
    "querie",
    "statements",
    "q",
];
const SQL_WORDS: [&str; 15] = [
    "sql",
    "query",
    "queries",
    "db",
    "database",
    "postgres",
    "postgresql",
    "mysql",
    "sqlite",
    "mssql",
    "snowflake",
    "bigquery",
    "redshift",
    "clickhouse",
    "duckdb",
];
const COMMAND_KEYS: [&str; 7] = [
    "command",
    "cmd",
    "script",
    "command_line",
    "commandline",
    "shell_command",
    "bash_command",
];
const SHELL_WORDS: [&str; 14] = [
    "shell",
    "bash",
    "sh",
    "zsh",
    "terminal",
    "exec",
    "execute",
    "run",
    "command",
    "cmd",
    "spawn",
    "powershell",
    "pwsh",
    "subprocess",
];
const ARGV_KEYS: [&str; 3] = ["arg", "argv", "argument"];
const URL_KEYS: [&str; 6] = ["url", "uri", "endpoint", "href", "link", "webhook_url"];
const NETWORK_WORDS: [&str; 14] = [
    "http", "https", "fetch", "request", "curl", "wget", "download", "upload", "webhook", "api",
    "browse", "browser", "navigate", "url",
];
const PATH_KEYS: [&str; 14] = [
    "path",
    "file",
    "filename",
    "filepath",
    "file_path",
    "directory",
    "dir",
    "folder",
    "old_path",
    "new_path",
    "source_path",
    "dest_path",
    "destination_path",
    "target_path",
];
const FILE_WORDS: [&str; 9] = [
    "file",
    "files",
    "dir",
    "directory",
    "directories",
    "folder",
    "path",
    "fs",
    "filesystem",
];
const DATABASE_KEYS: [&str; 6] = [
    "database",
    "db",
    "dbname",
    "database_name",
    "schema",
    "catalog",
];

/// Verb words, by class; the first verb word of a tool's name decides.
const VERB_WORDS: [(VerbClass, &[&str]); 5] = [
    (
        VerbClass::Read,
        &[
            "read",
            "get",
            "list",
            "ls",
            "cat",
            "view",
            "show",
            "open",
            "load",
            "fetch",
            "search",
            "find",
            "query",
            "lookup",
            "describe",
            "stat",
            "info",
            "head",
            "tail",
            "tree",
            "browse",
            "inspect",
            "check",
            "count",
            "exists",
            "download",
            "watch",
            "preview",
            "retrieve",
            "print",
            "export",
            "screenshot",
            "snapshot",
            "navigate",
            "explain",
        ],
    ),
    (
        VerbClass::Write,
        &[
            "write", "create", "edit", "update", "modify", "append", "save", "put", "post", "set",
            "add", "insert", "upload", "move", "mv", "rename", "copy", "cp", "mkdir", "make",
            "patch", "replace", "send", "publish", "push", "commit", "merge", "submit", "apply",
            "approve", "assign", "comment", "reply", "upsert", "import", "sync", "transfer", "pay",
            "refund", "charge", "invite", "share", "tag", "label", "archive", "restore",
            "schedule", "book", "order", "purchase", "email", "mail", "forward", "deploy",
            "install", "enable", "disable", "fill", "click", "type", "press", "upgrade",
        ],
    ),
    (
        VerbClass::Delete,
        &[
            "delete",
            "remove",
            "rm",
            "del",
            "unlink",
            "rmdir",
            "erase",
            "destroy",
            "drop",
            "purge",
            "wipe",
            "truncate",
            "clear",
            "trash",
            "discard",
            "uninstall",
            "cancel",
            "terminate",
            "revoke",
        ],
    ),
    (
        VerbClass::Execute,
        &[
            "exec",
            "execute",
            "run",
            "shell",
            "bash",
            "sh",
            "zsh",
            "cmd",
            "command",
            "spawn",
            "eval",
            "invoke",
            "launch",
            "script",
            "terminal",
            "powershell",
            "evaluate",
        ],
    ),
    (
        VerbClass::Admin,
        &[
            "chmod",
            "chown",
            "grant",
            "sudo",
            "admin",
            "permission",
            "permissions",
            "privilege",
            "escalate",
            "mount",
            "unmount",
            "format",
            "shutdown",
            "reboot",
            "kill",
            "firewall",
            "iam",
            "impersonate",
        ],
    ),
];

/// Calls `each` with every word of a name, lowercased (`readFile`,
/// `read_file`, `read-file` and `fs.read.file` all give `read`, `file`).
fn split_words(name: &str, mut each: impl FnMut(&str)) {
    if name.bytes().all(|b| {
        b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'_' | b'-' | b'.' | b'/')
    }) {
        // Already lowercase ASCII: only separators split words, byte by byte.
        let mut start = 0;
        for (i, b) in name.bytes().enumerate() {
            if matches!(b, b'_' | b'-' | b'.' | b'/') {
                if let Some(word) = name.get(start..i).filter(|w| !w.is_empty()) {
                    each(word);
                }
                start = i + 1;
            }
        }
        if let Some(word) = name.get(start..).filter(|w| !w.is_empty()) {
            each(word);
        }
        return;
    }
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if c.is_alphanumeric() {
            if c.is_uppercase() && previous_lower && !current.is_empty() {
                each(&current);
                current.clear();
            }
            previous_lower = c.is_lowercase() || c.is_ascii_digit();
            current.extend(c.to_lowercase());
        } else {
            previous_lower = false;
            if !current.is_empty() {
                each(&current);
                current.clear();
            }
        }
    }
    if !current.is_empty() {
        each(&current);
    }
}

/// A word of a tool's name that some classifier looks for, with every
/// list it is in, so that a call's words are each looked up once.
#[derive(Debug, PartialEq)]
pub(crate) struct Word {
    /// The word, as the lists write it.
    pub(crate) text: &'static str,
    /// The verb class it names (its first listing in `VERB_WORDS`).
    verb: Option<VerbClass>,
    /// The lists of this module that hold it, a bit each (`SQL`, ...).
    lists: u8,
    /// The semantic categories' lists that hold it, a bit each, in the
    /// order of [`semantic::LISTS`].
    pub(crate) kinds: u8,
    /// "its name says `word`", written once for the categories' details.
    pub(crate) says: String,
}

/// Bits of [`Word::lists`].
const SQL: u8 = 1;
const SHELL: u8 = 2;
const NETWORK: u8 = 4;
const FILE: u8 = 8;

/// The words of a tool name (see [`split_words`]) that the classifiers
/// know, in order: only words of their lists decide anything, so the
/// others are not kept (and nothing is copied).
pub(crate) fn words_of(name: &str) -> Vec<&'static Word> {
    let known: &'static FnvMap<&'static str, Word> = &WORDS;
    let mut words = Vec::new();
    split_words(name, |word| {
        if let Some(found) = known.get(word) {
            words.push(found);
        }
    });
    words
}

/// Every word any classifier looks for in a tool's name.
static WORDS: LazyLock<FnvMap<&'static str, Word>> = LazyLock::new(|| {
    fn entry<'m>(map: &'m mut FnvMap<&'static str, Word>, text: &'static str) -> &'m mut Word {
        map.entry(text).or_insert_with(|| Word {
            text,
            verb: None,
            lists: 0,
            kinds: 0,
            says: text::join(&["its name says `", text, "`"]),
        })
    }
    let mut map = FnvMap::default();
    for (class, words) in VERB_WORDS {
        for text in words {
            let word = entry(&mut map, text);
            word.verb = word.verb.or(Some(class));
        }
    }
    let lists: [(u8, &[&str]); 4] = [
        (SQL, &SQL_WORDS),
        (SHELL, &SHELL_WORDS),
        (NETWORK, &NETWORK_WORDS),
        (FILE, &FILE_WORDS),
    ];
    for (bit, words) in lists {
        for text in words {
            entry(&mut map, text).lists |= bit;
        }
    }
    for (bit, words) in semantic::LISTS.iter().enumerate() {
        for text in *words {
            entry(&mut map, text).kinds |= 1 << bit;
        }
    }
    map
});

/// The class a verb word (or a verb like `write_file`) names.
pub(crate) fn class_of_words(words: &[&Word]) -> Option<VerbClass> {
    words.iter().find_map(|w| w.verb)
}

/// Derives the readings of a call: one subject per kind of thing it
/// touches (SQL, a command, a URL, files), the main one first; never empty.
/// `max_string_bytes` bounds the texts that are inspected; a larger SQL,
/// command or path argument is an error.
// Out of line, for wasm cold start (see the crate docs).
#[inline(never)]
pub(crate) fn classify(
    call: &ToolCall,
    tool: &str,
    args: &Args<'_>,
    max_string_bytes: usize,
) -> Result<Few<Subject>, String> {
    // Words come from the name as written when it is ASCII, so camelCase
    // (`deleteFile`) still splits; look-alike names use the canonical form.
    let words = words_of(if call.tool.is_ascii() {
        call.tool.trim()
    } else {
        tool
    });
    let has_word = |list: u8| words.iter().any(|w| w.lists & list != 0);
    let mut oversized = Vec::new();
    for text in &args.texts {
        if text.value.len() > max_string_bytes {
            let inspected_by_key = SQL_KEYS.contains(&&*text.key)
                || COMMAND_KEYS.contains(&&*text.key)
                || PATH_KEYS.contains(&&*text.key)
                || URL_KEYS.contains(&&*text.key);
            if inspected_by_key {
                return Err(format!(
                    "the argument `{}` is {} bytes, more than the {} bytes that can be inspected",
                    text.path,
                    text.value.len(),
                    max_string_bytes
                ));
            }
            oversized.push(text.path.to_string());
        }
    }
    let inspectable = |t: &&crate::risk::args::TextArg<'_>| t.value.len() <= max_string_bytes;

    // SQL, anywhere in the arguments.
    let sql_tool = has_word(SQL);
    let mut sql: Option<SqlAnalysis> = None;
    let mut sql_texts: Vec<&str> = Vec::new();
    for text in args.texts.iter().filter(inspectable) {
        let context = sql_tool || SQL_KEYS.contains(&&*text.key);
        if looks_like_sql(text.value, context) {
            sql_texts.push(&text.path);
            let found = analyze_sql(text.value);
            sql = Some(match sql {
                None => found,
                Some(mut earlier) => {
                    earlier.class = earlier.class.max(found.class);
                    earlier.statements.extend(found.statements);
                    earlier
                }
            });
        }
    }

    // Shell commands. Every text under a command key counts: a list under
    // a singular key is one argument vector (`command: ["rm", "-rf", "/"]`),
    // any other text a command line (`commands: ["ls", "rm -rf /"]`).
    let shell_tool = has_word(SHELL);
    let mut command_lines: Vec<&str> = Vec::new();
    let mut argv: Vec<String> = Vec::new();
    let commands = args
        .texts
        .iter()
        .filter(|t| COMMAND_KEYS.contains(&&*t.key) && !sql_texts.contains(&&*t.path));
    for text in commands {
        if is_item_of_own_list(text) {
            argv.push(text.value.to_owned());
        } else {
            command_lines.push(text.value);
        }
    }
    let listed_command = !argv.is_empty();
    argv.extend(
        args.texts
            .iter()
            .filter(|t| ARGV_KEYS.contains(&&*t.key))
            .map(|t| t.value.to_owned()),
    );
    // A command argument is read even next to SQL; the guesses from the
    // tool's name are not.
    let shell = if let Some((last, earlier)) = command_lines.split_last() {
        // List-form arguments belong to the last command line.
        let mut line = CommandLine::default();
        for text in earlier {
            merge_lines(&mut line, parse_command_line(text));
        }
        merge_lines(&mut line, parse_command_line_with_args(last, &argv));
        Some(line)
    } else if listed_command {
        Some(parse_argv(&argv))
    } else if sql.is_some() {
        None
    } else if shell_tool && !argv.is_empty() {
        Some(parse_argv(&argv))
    } else if shell_tool && args.texts.len() == 1 {
        args.texts.first().map(|t| parse_command_line(t.value))
    } else {
        None
    };

    // Paths and URLs.
    let mut paths = Few::default();
    let mut urls = Few::default();
    for text in args.texts.iter().filter(inspectable) {
        let key = &*text.key;
        if let Some(url) = normalize_url(text.value) {
            urls.push(url);
            continue;
        }
        if COMMAND_KEYS.contains(&key) || SQL_KEYS.contains(&key) {
            continue;
        }
        // Path keys hold paths; any other text counts when it looks like one.
        let is_path = if PATH_KEYS.contains(&key) {
            !text.value.trim().is_empty()
        } else {
            looks_like_path(text.value)
        };
        if is_path {
            paths.push(normalize_path(text.value));
        }
    }
    if let Some(line) = &shell {
        paths.extend(line.redirect_targets.iter().map(|t| normalize_path(t)));
    }
    paths.dedup();

    let method = args
        .text(&["method", "http_method"])
        .map(|m| m.trim().to_ascii_uppercase());
    let database = args
        .text(&DATABASE_KEYS)
        .map(str::to_owned)
        .or_else(|| sql.as_ref().and_then(|_| call.server.clone()));

    let name_class = class_of_words(&words);
    let network = !urls.is_empty() && (has_word(NETWORK) || args.text(&URL_KEYS).is_some());
    let files = has_word(FILE) || args.texts.iter().any(|t| PATH_KEYS.contains(&&*t.key));
    // Each kind of evidence is a reading of its own, the main one first, so
    // a decoy argument (a URL next to a path, SQL next to a command) never
    // hides the rest: the strictest reading decides.
    let mut readings = Few::default();
    if let Some(found) = &sql {
        readings.push(sql_subject(found, database.as_deref()));
    }
    if let Some(line) = &shell {
        readings.push(shell_subject(line));
    }
    if network {
        readings.push(network_subject(method.as_deref(), &urls, name_class));
    }
    if files && (readings.is_empty() || !paths.is_empty()) {
        readings.push(file_subject(tool, name_class, &paths));
    }
    if readings.is_empty() {
        readings.push(tool_subject(tool, name_class));
    }

    let environments: Vec<String> = args
        .texts
        .iter()
        .filter(|t| ENVIRONMENT_KEYS.contains(&&*t.key))
        .map(|t| t.value.to_owned())
        .collect();
    let mut evidence = Evidence {
        sql,
        shell,
        paths,
        urls,
        method,
        database,
        environments,
        words,
        oversized,
    };
    // Every reading carries all the evidence; the last one takes it.
    let count = readings.len();
    for (i, subject) in readings.iter_mut().enumerate() {
        apply_given(subject, call);
        let shared = if i + 1 < count {
            evidence.clone()
        } else {
            std::mem::take(&mut evidence)
        };
        shared.give(subject);
        subject.bulk = bulk(args, subject);
    }
    Ok(readings)
}

/// What a call shows, shared by all its readings.
#[derive(Debug, Clone, Default)]
struct Evidence {
    sql: Option<SqlAnalysis>,
    shell: Option<CommandLine>,
    paths: Few<String>,
    urls: Few<String>,
    method: Option<String>,
    database: Option<String>,
    environments: Vec<String>,
    words: Vec<&'static Word>,
    oversized: Vec<String>,
}

impl Evidence {
    fn give(self, subject: &mut Subject) {
        subject.sql = self.sql;
        subject.shell = self.shell;
        subject.paths = self.paths;
        subject.urls = self.urls;
        subject.method = self.method;
        subject.database = self.database;
        subject.environments = self.environments;
        subject.words = self.words;
        subject.oversized = self.oversized;
    }
}

// Out of line, for wasm cold start (see the crate docs).
#[inline(never)]
fn sql_subject(found: &SqlAnalysis, database: Option<&str>) -> Subject {
    let worst = found.worst();
    let keyword = worst.map_or("SQL", |s| s.keyword.as_str());
    let mut detail = format!("SQL `{keyword}` statement");
    if let Some(extra) = worst.and_then(|s| s.detail.clone()) {
        detail = format!("{detail}: {extra}");
    }
    let class = VerbClass::of_sql(found.class);
    Subject::new(
        "database",
        class,
        format!("{detail} ({})", class.as_str()),
        Touches::Own(Few::One(format!(
            "database://{}",
            database.unwrap_or("default")
        ))),
    )
}

// Out of line, for wasm cold start (see the crate docs).
#[inline(never)]
fn shell_subject(line: &CommandLine) -> Subject {
    let elevated = line.commands.iter().any(|c| c.elevated);
    let class = if elevated {
        VerbClass::Admin
    } else {
        VerbClass::Execute
    };
    let shown: Vec<String> = line.commands.iter().map(|c| c.argv.join(" ")).collect();
    let mut resources: Vec<String> = line.commands.iter().map(|c| c.resource()).collect();
    if resources.is_empty() {
        resources.push("command://".to_owned());
    }
    Subject::new(
        "system",
        class,
        format!(
            "shell command `{}`{}",
            truncate(&shown.join("; "), 120),
            if elevated {
                " run with elevated privileges"
            } else {
                ""
            }
        ),
        Touches::Own(resources.into()),
    )
}

// Out of line, for wasm cold start (see the crate docs).
#[inline(never)]
fn network_subject(
    method: Option<&str>,
    urls: &[String],
    name_class: Option<VerbClass>,
) -> Subject {
    let class = match method {
        Some("GET" | "HEAD" | "OPTIONS") => VerbClass::Read,
        Some("POST" | "PUT" | "PATCH") => VerbClass::Write,
        Some("DELETE") => VerbClass::Delete,
        _ => name_class
            .filter(|c| *c != VerbClass::Execute)
            .unwrap_or(VerbClass::Read),
    };
    Subject::new(
        "network",
        class,
        format!(
            "HTTP {} to `{}` ({})",
            method.unwrap_or("request"),
            truncate(urls.first().map_or("", String::as_str), 80),
            class.as_str()
        ),
        Touches::Urls,
    )
}

fn file_subject(tool: &str, name_class: Option<VerbClass>, paths: &[String]) -> Subject {
    let class = name_class.unwrap_or(VerbClass::Unknown);
    let detail = text::join(&["file tool `", tool, "` (", class.as_str(), ")"]);
    let touches = if paths.is_empty() {
        Touches::Own(Few::One(text::join(&["tool://", tool])))
    } else {
        Touches::Paths
    };
    Subject::new("filesystem", class, detail, touches)
}

fn tool_subject(tool: &str, name_class: Option<VerbClass>) -> Subject {
    let class = name_class.unwrap_or(VerbClass::Unknown);
    let detail = if class == VerbClass::Unknown {
        text::join(&["nothing tells what `", tool, "` does"])
    } else {
        text::join(&["tool `", tool, "` (", class.as_str(), ", from its name)"])
    };
    Subject::new(
        "tool",
        class,
        detail,
        Touches::Own(Few::One(text::join(&["tool://", tool]))),
    )
}

const ENVIRONMENT_KEYS: [&str; 5] = ["env", "environment", "stage", "cluster", "tier"];
const COUNT_KEYS: [&str; 8] = [
    "count",
    "limit",
    "n",
    "batch_size",
    "max_results",
    "size",
    "quantity",
    "page_size",
];

/// Why a call touches many things at once: SQL without `WHERE`, a large
/// count, a long list, a recursive flag. (A recursive `rm` counts as
/// `shell_destructive`, not twice.)
fn bulk(args: &Args<'_>, subject: &Subject) -> Option<String> {
    if let Some(statement) = subject
        .sql
        .as_ref()
        .and_then(|q| q.statements.iter().find(|s| s.unbounded))
    {
        return Some(format!(
            "`{}` without `WHERE` affects every row",
            statement.keyword
        ));
    }
    if let Some((key, n)) = args
        .numbers
        .iter()
        .find(|(k, n)| COUNT_KEYS.contains(&&**k) && *n > 1000.0)
    {
        return Some(format!("`{key}` is {n}"));
    }
    if let Some((key, n)) = args.lists.iter().find(|(_, n)| *n > 100) {
        return Some(format!("`{key}` lists {n} items"));
    }
    args.flags
        .iter()
        .any(|(k, v)| *v && (k == "recursive" || k == "force_all" || k == "all"))
        .then(|| "it is recursive".to_owned())
}

impl Subject {
    fn new(namespace: &'static str, class: VerbClass, detail: String, touches: Touches) -> Self {
        Self {
            namespace: Cow::Borrowed(namespace),
            verb: Cow::Borrowed(class.as_str()),
            class,
            detail,
            touches,
            sql: None,
            shell: None,
            paths: Few::default(),
            urls: Few::default(),
            method: None,
            database: None,
            words: Vec::new(),
            oversized: Vec::new(),
            environments: Vec::new(),
            bulk: None,
        }
    }

    /// What the call touches; never empty.
    pub(crate) fn resources(&self) -> &[String] {
        match &self.touches {
            Touches::Own(resources) => resources,
            Touches::Paths => &self.paths,
            Touches::Urls => &self.urls,
        }
    }
}

/// What a subject touches: resources of its own, or the paths or the URLs
/// the call mentions (which the subject holds with its evidence, so they
/// are not copied).
#[derive(Debug, Clone, PartialEq)]
enum Touches {
    /// Resources only this reading has (a database, commands, the tool).
    Own(Few<String>),
    /// The paths the call mentions.
    Paths,
    /// The URLs the call mentions.
    Urls,
}

/// Applies the namespace, verb and resource the caller gave. A given verb
/// can make the class stricter, never laxer than what the content shows;
/// a generic verb (`execute_query`) defers to the content.
fn apply_given(subject: &mut Subject, call: &ToolCall) {
    if let Some(namespace) = &call.namespace {
        subject.namespace = Cow::Owned(namespace.clone());
    }
    if let Some(verb) = &call.verb {
        subject.verb = Cow::Owned(verb.clone());
        let content_known =
            subject.detail.starts_with("SQL") || subject.detail.starts_with("shell");
        match class_of_words(&words_of(verb)) {
            Some(VerbClass::Execute) if content_known => {}
            Some(given) if given > subject.class || subject.class == VerbClass::Unknown => {
                subject.class = given;
                subject.detail = format!("verb `{verb}` given by the caller ({})", given.as_str());
            }
            _ => {}
        }
    }
    if let Some(resource) = &call.resource {
        let normalized = if looks_like_path(resource) {
            normalize_path(resource)
        } else {
            normalize_url(resource).unwrap_or_else(|| resource.clone())
        };
        subject.touches = Touches::Own(Few::One(normalized));
    }
}

/// Whether a text is an item of a list under its own key (`command.0` of
/// `command: [...]`), not of a plural key (`commands.0`).
fn is_item_of_own_list(text: &TextArg<'_>) -> bool {
    let Some((list, index)) = text.path.rsplit_once('.') else {
        return false;
    };
    let list_key = list.rsplit('.').next().unwrap_or(list);
    index.bytes().all(|b| b.is_ascii_digit()) && list_key.eq_ignore_ascii_case(&text.key)
}

/// Adds the commands of a second command line to a first; several lines
/// are chained commands.
fn merge_lines(line: &mut CommandLine, more: CommandLine) {
    line.chained |= more.chained || (!line.commands.is_empty() && !more.commands.is_empty());
    line.substitution |= more.substitution;
    line.truncated |= more.truncated;
    line.commands.extend(more.commands);
    line.redirect_targets.extend(more.redirect_targets);
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn call(tool: &str, arguments: serde_json::Value) -> ToolCall {
        let mut call = ToolCall::new(tool);
        if let serde_json::Value::Object(map) = arguments {
            call.arguments = map;
        }
        call
    }

    /// The main reading of a call.
    fn main_reading(c: &ToolCall, tool: &str) -> Result<Subject, String> {
        let readings = classify(c, tool, &Args::collect(&c.arguments), 1 << 20)?;
        readings
            .first()
            .cloned()
            .ok_or_else(|| "no reading".to_owned())
    }

    fn subject(
        tool: &str,
        arguments: serde_json::Value,
    ) -> Result<(String, String, Vec<String>), String> {
        let s = main_reading(&call(tool, arguments), tool)?;
        let resources = s.resources().to_vec();
        Ok((s.namespace.into_owned(), s.verb.into_owned(), resources))
    }

    /// Every reading of a call: namespace and resources.
    fn readings(tool: &str, arguments: serde_json::Value) -> Result<Vec<String>, String> {
        let c = call(tool, arguments);
        let readings = classify(&c, tool, &Args::collect(&c.arguments), 1 << 20)?;
        Ok(readings
            .iter()
            .map(|s| format!("{} {}", s.namespace, s.resources().join(" ")))
            .collect())
    }

    #[test]
    fn every_kind_of_evidence_is_a_reading() -> Result<(), String> {
        assert_eq!(
            readings(
                "write_file",
                json!({"path": "/etc/x", "url": "https://example.com/"})
            )?,
            ["network https://example.com/", "filesystem /etc/x"]
        );
        assert_eq!(
            readings(
                "run_command",
                json!({"command": "rm -rf /", "note": "SELECT * FROM t"})
            )?,
            ["database database://default", "system command://rm -rf /"]
        );
        assert_eq!(
            readings("query_database", json!({"query": "SELECT 1"}))?,
            ["database database://default"]
        );
        assert_eq!(
            readings("fetch", json!({"url": "https://example.com/"}))?,
            ["network https://example.com/"]
        );
        Ok(())
    }

    #[test]
    fn words() -> Result<(), String> {
        let split = |name: &str| {
            let mut words = Vec::new();
            split_words(name, |w| words.push(w.to_owned()));
            words
        };
        assert_eq!(split("readFile"), ["read", "file"]);
        assert_eq!(split("read_file"), ["read", "file"]);
        assert_eq!(split("fs.read-file"), ["fs", "read", "file"]);
        assert_eq!(split("HTTPRequest"), ["httprequest"]);
        assert_eq!(split("getUserSSN_now"), ["get", "user", "ssn", "now"]);
        // Only the words some list holds are kept, in order.
        let known = |name: &str| words_of(name).iter().map(|w| w.text).collect::<Vec<_>>();
        assert_eq!(known("acme.read-file"), ["read", "file"]);
        assert_eq!(known("deleteFile"), ["delete", "file"]);
        assert!(known("HTTPRequest").is_empty());
        // Each word carries every list it is in.
        let [delete, file] = *words_of("delete_file").as_slice() else {
            return Err("`delete_file` should be two known words".into());
        };
        assert_eq!(class_of_words(&[delete, file]), Some(VerbClass::Delete));
        assert_eq!((delete.lists & FILE, file.lists & FILE), (0, FILE));
        assert_ne!(delete.kinds, 0, "`delete` is a destructive word");
        Ok(())
    }

    #[test]
    fn derives_namespace_verb_resource() -> Result<(), String> {
        let r = |ns: &str, verb: &str, res: &[&str]| {
            (
                ns.to_owned(),
                verb.to_owned(),
                res.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>(),
            )
        };
        assert_eq!(
            subject(
                "query_database",
                json!({"query": "SELECT 1", "database": "staging"})
            )?,
            r("database", "read", &["database://staging"])
        );
        assert_eq!(
            subject("execute", json!({"sql": "DELETE FROM t"}))?,
            r("database", "delete", &["database://default"])
        );
        assert_eq!(
            subject("read_file", json!({"path": "/data/../etc/passwd"}))?,
            r("filesystem", "read", &["/etc/passwd"])
        );
        assert_eq!(
            subject(
                "move_file",
                json!({"source": "/a/x", "destination": "/b/y"})
            )?,
            r("filesystem", "write", &["/a/x", "/b/y"])
        );
        assert_eq!(
            subject("run_command", json!({"command": "ls; rm -rf /"}))?,
            r("system", "execute", &["command://ls", "command://rm -rf /"])
        );
        assert_eq!(
            subject(
                "http_request",
                json!({"url": "https://Api.Example.com/x", "method": "post"})
            )?,
            r("network", "write", &["https://api.example.com/x"])
        );
        assert_eq!(
            subject("send_email", json!({"to": "a@example.com"}))?,
            r("tool", "write", &["tool://send_email"])
        );
        let camel = call("deleteFile", json!({"path": "/a"}));
        let s = main_reading(&camel, "deletefile")?;
        assert_eq!((&*s.namespace, &*s.verb), ("filesystem", "delete"));
        assert_eq!(
            subject("frobnicate", json!({}))?,
            r("tool", "unknown", &["tool://frobnicate"])
        );
        Ok(())
    }

    #[test]
    fn oversized_inspected_arguments_are_refused() {
        let big = "x".repeat(100);
        let c = call("q", json!({"query": big}));
        let result = classify(&c, "q", &Args::collect(&c.arguments), 10);
        assert!(result.is_err_and(|e| e.contains("`query`")));
    }

    #[test]
    fn given_verbs_only_make_things_stricter() -> Result<(), String> {
        let mut c = call(
            "query_database",
            json!({"query": "DELETE FROM t WHERE a = 1"}),
        );
        c.verb = Some("read".to_owned());
        let s = main_reading(&c, "query_database")?;
        assert_eq!((&*s.verb, s.class), ("read", VerbClass::Delete));
        c.verb = Some("execute_query".to_owned());
        let s = main_reading(&c, "query_database")?;
        assert_eq!(s.class, VerbClass::Delete);
        Ok(())
    }
}
