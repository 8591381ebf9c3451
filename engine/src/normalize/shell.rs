//! Shell command lines split into the simple commands they would run, so a
//! pattern written for `rm *` also sees the `rm` in `ls; rm -rf /`,
//! `$(rm -rf /)`, `sh -c 'rm -rf /'`, `env X=1 /bin/rm -rf /` or `r''m -rf /`.
//!
//! This is a conservative reading of POSIX shell syntax, not an interpreter:
//! quotes and escapes are removed, `;` `&` `&&` `||` `|` and newlines
//! separate commands, `$(...)`, backticks and `<(...)` are read as commands
//! of their own, `sh -c`, `eval`, `su -c` and `env -S` scripts are read
//! recursively, and wrappers (`sudo`, `env`, `nohup`, `nice`, `timeout`,
//! `command`, `exec`, `xargs`, `busybox`, ...) and leading `VAR=value`
//! assignments are peeled off. Binaries are named by their basename.

mod ansi_c;

use ansi_c::ansi_c_quoted;

/// Deepest nesting of scripts inside scripts that is read.
const MAX_DEPTH: usize = 8;
/// Most simple commands read from one command line.
const MAX_COMMANDS: usize = 256;

/// One simple command: its words, the binary first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimpleCommand {
    /// The words after quote removal; the first is the binary's basename.
    pub argv: Vec<String>,
    /// Run through `sudo`, `doas` or `su`.
    pub elevated: bool,
}

impl SimpleCommand {
    /// The binary's name.
    #[must_use]
    pub fn program(&self) -> &str {
        self.argv.first().map_or("", String::as_str)
    }

    /// The canonical resource string, `command://<argv joined by spaces>`.
    #[must_use]
    pub fn resource(&self) -> String {
        format!("command://{}", self.argv.join(" "))
    }
}

/// What a command line would run.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CommandLine {
    /// Every simple command, in order of appearance.
    pub commands: Vec<SimpleCommand>,
    /// Several commands chained (`;`, `&&`, `||`, `|`, `&`, newlines).
    pub chained: bool,
    /// Command substitution or process substitution was used.
    pub substitution: bool,
    /// Files written through redirections (`> file`, `>> file`).
    pub redirect_targets: Vec<String>,
    /// The line was too deep or too long to read completely.
    pub truncated: bool,
}

/// Reads a command line (see the module docs).
#[must_use]
pub fn parse_command_line(text: &str) -> CommandLine {
    parse_command_line_with_args(text, &[])
}

/// Reads a command line whose last command takes more arguments given as a
/// list (`{"command": "sudo", "args": ["rm", "-rf", "/"]}`): the arguments
/// are read as words of that command, wrappers and `sh -c` included.
#[must_use]
pub fn parse_command_line_with_args(text: &str, args: &[String]) -> CommandLine {
    let mut line = CommandLine::default();
    read_script(text, args, 0, &mut line);
    line
}

/// Reads an argument vector given as a list (`["rm", "-rf", "/"]`).
#[must_use]
pub fn parse_argv(argv: &[String]) -> CommandLine {
    let mut line = CommandLine::default();
    finish_command(argv.to_vec(), false, 0, &mut line);
    line
}

#[derive(Debug, PartialEq)]
enum Token {
    Word(String),
    /// `;`, `&`, `&&`, `||`, newline, `(`, `)`.
    Separator,
    /// `|` or `|&`.
    Pipe,
    /// `>`, `>>`, `<`, ...; `writes` for output redirections.
    Redirect {
        writes: bool,
    },
}

/// Reads a script; `tail` are words appended to its last command.
fn read_script(text: &str, tail: &[String], depth: usize, line: &mut CommandLine) {
    if depth > MAX_DEPTH {
        line.truncated = true;
        return;
    }
    let (tokens, substitutions) = tokenize(text);
    for inner in substitutions {
        line.substitution = true;
        read_script(&inner, &[], depth + 1, line);
    }
    let mut words: Vec<String> = Vec::new();
    let mut pending_redirect: Option<bool> = None;
    let mut segments = 0usize;
    for token in tokens {
        match token {
            Token::Word(word) => {
                if let Some(writes) = pending_redirect.take() {
                    if writes {
                        line.redirect_targets.push(word);
                    }
                } else {
                    words.push(word);
                }
            }
            Token::Redirect { writes } => pending_redirect = Some(writes),
            Token::Separator | Token::Pipe => {
                pending_redirect = None;
                if !words.is_empty() {
                    segments += 1;
                    finish_command(std::mem::take(&mut words), false, depth, line);
                }
            }
        }
    }
    words.extend(tail.iter().cloned());
    if !words.is_empty() {
        segments += 1;
        finish_command(words, false, depth, line);
    }
    if segments > 1 {
        line.chained = true;
    }
}

const SHELLS: [&str; 8] = ["sh", "bash", "zsh", "dash", "ksh", "ash", "fish", "mksh"];

/// Peels wrappers off a simple command and records what it runs.
fn finish_command(mut argv: Vec<String>, mut elevated: bool, depth: usize, line: &mut CommandLine) {
    if line.commands.len() >= MAX_COMMANDS {
        line.truncated = true;
        return;
    }
    loop {
        // Leading `NAME=value` assignments.
        let assignments = argv.iter().take_while(|w| is_assignment(w)).count();
        argv.drain(..assignments);
        let Some(first) = argv.first() else { return };
        let program = basename(first).to_owned();
        let rest: Vec<String> = argv.get(1..).unwrap_or_default().to_vec();
        match program.as_str() {
            "sudo" | "doas" => {
                elevated = true;
                argv = skip_options(
                    rest,
                    &["-u", "-g", "-C", "-D", "-h", "-p", "-U", "-r", "-t", "-T"],
                );
            }
            "su" => {
                elevated = true;
                match option_value(&rest, "-c") {
                    Some(script) => {
                        let before = line.commands.len();
                        read_script(&script, &[], depth + 1, line);
                        mark_elevated(line, before);
                        return;
                    }
                    None => {
                        argv = vec!["su".to_owned()];
                        break;
                    }
                }
            }
            "env" => {
                if let Some(script) = option_value(&rest, "-S") {
                    read_script(&script, &[], depth + 1, line);
                    return;
                }
                argv = skip_options(rest, &["-u", "-C", "--unset", "--chdir"]);
            }
            "nohup" | "time" | "command" | "exec" | "builtin" | "setsid" | "unbuffer"
            | "stdbuf" => {
                argv = skip_options(rest, &[]);
            }
            "nice" | "ionice" => argv = skip_options(rest, &["-n", "-c"]),
            "timeout" => {
                let mut after = skip_options(rest, &["-s", "-k", "--signal", "--kill-after"]);
                if !after.is_empty() {
                    after.remove(0);
                }
                argv = after;
            }
            "xargs" => argv = skip_options(rest, &["-I", "-n", "-P", "-L", "-d", "-E", "-s"]),
            "busybox" => argv = rest,
            "eval" => {
                read_script(&rest.join(" "), &[], depth + 1, line);
                return;
            }
            shell if SHELLS.contains(&shell) => {
                if let Some(script) = shell_script(&rest) {
                    let before = line.commands.len();
                    read_script(&script, &[], depth + 1, line);
                    if elevated {
                        mark_elevated(line, before);
                    }
                    line.chained |= line.commands.len() > before + 1;
                    return;
                }
                argv = std::iter::once(program).chain(rest).collect();
                break;
            }
            _ => {
                argv = std::iter::once(program).chain(rest).collect();
                break;
            }
        }
    }
    if !argv.is_empty() {
        line.commands.push(SimpleCommand { argv, elevated });
    }
}

fn mark_elevated(line: &mut CommandLine, from: usize) {
    for command in line.commands.iter_mut().skip(from) {
        command.elevated = true;
    }
}

/// `-c script` (also combined flags such as `-lc`, `-ec`) of a shell: the
/// first operand after the options, skipping the values of `-o`/`+o`-style
/// options (`bash -o pipefail -c '...'`).
fn shell_script(args: &[String]) -> Option<String> {
    let mut command = false;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg == "--" {
            return iter.next().filter(|_| command).cloned();
        }
        if let Some(long) = arg.strip_prefix("--") {
            if matches!(long, "rcfile" | "init-file") {
                iter.next();
            }
            continue;
        }
        if arg.len() > 1 && arg.starts_with(['-', '+']) {
            command |= arg.starts_with('-') && arg.contains('c');
            if arg.ends_with(['o', 'O']) {
                iter.next();
            }
            continue;
        }
        return command.then(|| arg.clone());
    }
    None
}

fn option_value(args: &[String], option: &str) -> Option<String> {
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg == option {
            return iter.next().cloned();
        }
        if let Some(value) = arg.strip_prefix(option)
            && !value.is_empty()
            && option.len() == 2
        {
            return Some(value.to_owned());
        }
    }
    None
}

/// Drops leading options (and the values of `with_value` options) and
/// `NAME=value` words; returns the command that follows.
fn skip_options(args: Vec<String>, with_value: &[&str]) -> Vec<String> {
    let mut iter = args.into_iter().peekable();
    while let Some(arg) = iter.peek() {
        if arg == "--" {
            iter.next();
            break;
        }
        if arg.starts_with('-') && arg.len() > 1 {
            let takes_value = with_value.contains(&arg.as_str());
            iter.next();
            if takes_value {
                iter.next();
            }
        } else if is_assignment(arg) {
            iter.next();
        } else {
            break;
        }
    }
    iter.collect()
}

fn is_assignment(word: &str) -> bool {
    match word.split_once('=') {
        Some((name, _)) => {
            !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !name.starts_with(|c: char| c.is_ascii_digit())
        }
        None => false,
    }
}

fn basename(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

/// Splits a script into tokens, returning the bodies of command and
/// process substitutions separately.
fn tokenize(text: &str) -> (Vec<Token>, Vec<String>) {
    let mut tokens = Vec::new();
    let mut substitutions = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let at = |k: usize| chars.get(k).copied();
    macro_rules! end_word {
        () => {
            if in_word {
                tokens.push(Token::Word(std::mem::take(&mut word)));
                in_word = false;
            }
        };
    }
    while let Some(c) = at(i) {
        match c {
            ' ' | '\t' | '\r' => {
                end_word!();
                i += 1;
            }
            '\n' | ';' | '(' | ')' => {
                end_word!();
                tokens.push(Token::Separator);
                i += 1;
            }
            '&' => {
                end_word!();
                if at(i + 1) == Some('>') {
                    tokens.push(Token::Redirect { writes: true });
                    i += if at(i + 2) == Some('>') { 3 } else { 2 };
                } else {
                    tokens.push(Token::Separator);
                    i += if at(i + 1) == Some('&') { 2 } else { 1 };
                }
            }
            '|' => {
                end_word!();
                if at(i + 1) == Some('|') {
                    tokens.push(Token::Separator);
                    i += 2;
                } else {
                    tokens.push(Token::Pipe);
                    i += if at(i + 1) == Some('&') { 2 } else { 1 };
                }
            }
            '>' | '<' => {
                // A number right before a redirection is a descriptor, not a word.
                if in_word && word.chars().all(|d| d.is_ascii_digit()) {
                    word.clear();
                    in_word = false;
                }
                end_word!();
                if at(i + 1) == Some('(') {
                    let (body, next) = balanced(&chars, i + 2);
                    substitutions.push(body);
                    i = next;
                    continue;
                }
                let writes = c == '>';
                let mut j = i + 1;
                while matches!(at(j), Some('>' | '<' | '|' | '&')) {
                    j += 1;
                }
                if c == '<' && at(i + 1) == Some('<') {
                    // A here-document or here-string: the rest is data.
                    tokens.push(Token::Redirect { writes: false });
                } else {
                    tokens.push(Token::Redirect { writes });
                }
                i = j;
            }
            '#' if !in_word => {
                while at(i).is_some_and(|d| d != '\n') {
                    i += 1;
                }
            }
            '\\' => {
                in_word = true;
                match at(i + 1) {
                    Some('\n') => {}
                    Some(d) => word.push(d),
                    None => {}
                }
                i += 2;
            }
            '\'' => {
                in_word = true;
                i += 1;
                while let Some(d) = at(i) {
                    i += 1;
                    if d == '\'' {
                        break;
                    }
                    word.push(d);
                }
            }
            '"' => {
                in_word = true;
                i += 1;
                while let Some(d) = at(i) {
                    match d {
                        '"' => {
                            i += 1;
                            break;
                        }
                        '\\' if matches!(at(i + 1), Some('"' | '\\' | '$' | '`')) => {
                            if let Some(e) = at(i + 1) {
                                word.push(e);
                            }
                            i += 2;
                        }
                        '$' if at(i + 1) == Some('(') => {
                            let (body, next) = balanced(&chars, i + 2);
                            substitutions.push(body);
                            i = next;
                        }
                        '`' => {
                            let (body, next) = backquoted(&chars, i + 1);
                            substitutions.push(body);
                            i = next;
                        }
                        _ => {
                            word.push(d);
                            i += 1;
                        }
                    }
                }
            }
            '$' if at(i + 1) == Some('(') => {
                in_word = true;
                let (body, next) = balanced(&chars, i + 2);
                substitutions.push(body);
                i = next;
            }
            '$' if at(i + 1) == Some('\'') => {
                // ANSI-C quoting: `$'rm'`, `$'\x72m'`.
                in_word = true;
                i = ansi_c_quoted(&chars, i + 2, &mut word);
            }
            // `$"..."` is a double-quoted string.
            '$' if at(i + 1) == Some('"') => i += 1,
            '$' if ifs_length(&chars, i) > 0 => {
                // `$IFS` and `${IFS}` split words like a blank.
                end_word!();
                i += ifs_length(&chars, i);
            }
            '`' => {
                in_word = true;
                let (body, next) = backquoted(&chars, i + 1);
                substitutions.push(body);
                i = next;
            }
            _ => {
                in_word = true;
                word.push(c);
                i += 1;
            }
        }
    }
    if in_word {
        tokens.push(Token::Word(word));
    }
    (tokens, substitutions)
}

/// The text up to the `)` that closes a `(` opened just before `start`.
fn balanced(chars: &[char], start: usize) -> (String, usize) {
    let mut depth = 1usize;
    let mut i = start;
    let mut quote: Option<char> = None;
    while let Some(&c) = chars.get(i) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth -= 1;
                if depth == 0 {
                    let body = chars.get(start..i).unwrap_or_default().iter().collect();
                    return (body, i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    (
        chars.get(start..).unwrap_or_default().iter().collect(),
        chars.len(),
    )
}

/// The length of `$IFS` or `${IFS...}` at `i`, or 0.
fn ifs_length(chars: &[char], i: usize) -> usize {
    let rest = chars.get(i + 1..).unwrap_or_default();
    if rest.starts_with(&['I', 'F', 'S'])
        && !rest
            .get(3)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
    {
        return 4;
    }
    match rest.iter().position(|c| *c == '}') {
        Some(close) if rest.starts_with(&['{', 'I', 'F', 'S']) => close + 2,
        _ => 0,
    }
}

/// The text up to the closing backquote.
fn backquoted(chars: &[char], start: usize) -> (String, usize) {
    let mut i = start;
    while let Some(&c) = chars.get(i) {
        if c == '`' {
            let body = chars.get(start..i).unwrap_or_default().iter().collect();
            return (body, i + 1);
        }
        i += 1;
    }
    (
        chars.get(start..).unwrap_or_default().iter().collect(),
        chars.len(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn programs(text: &str) -> Vec<String> {
        parse_command_line(text)
            .commands
            .iter()
            .map(|c| c.argv.join(" "))
            .collect()
    }

    #[test]
    fn every_spelling_of_rm_is_found() {
        for line in [
            "rm -rf /",
            "ls; rm -rf /",
            "ls && rm -rf /",
            "false || rm -rf /",
            "echo hi | rm -rf /",
            "echo $(rm -rf /)",
            "echo `rm -rf /`",
            "echo \"$(rm -rf /)\"",
            "sh -c 'rm -rf /'",
            "bash -lc \"rm -rf /\"",
            "env X=1 rm -rf /",
            "X=1 rm -rf /",
            "/bin/rm -rf /",
            "sudo -u root /usr/bin/rm -rf /",
            "r''m -rf /",
            "\\rm -rf /",
            "nohup nice -n 5 rm -rf / &",
            "timeout 10 rm -rf /",
            "eval 'rm -rf /'",
            "su -c 'rm -rf /' root",
            "env -S 'rm -rf /'",
            "busybox rm -rf /",
            "cat <(rm -rf /)",
            "ls\nrm -rf /",
            "$'rm' -rf /",
            "$'\\x72\\155' -rf /",
            "$\"rm\" -rf /",
            "rm${IFS}-rf${IFS}/",
            "rm$IFS-rf$IFS/",
            "bash -o pipefail -c 'rm -rf /'",
            "sh +x -eo pipefail -c 'rm -rf /'",
            "bash --norc -c 'rm -rf /'",
        ] {
            assert!(
                programs(line).iter().any(|p| p == "rm -rf /"),
                "{line}: {:?}",
                programs(line)
            );
        }
    }

    #[test]
    fn chaining_substitution_and_redirects_are_recorded() {
        let line = parse_command_line("echo x > /etc/passwd; ls");
        assert!(line.chained);
        assert_eq!(line.redirect_targets, ["/etc/passwd"]);
        assert_eq!(programs("echo x > /etc/passwd"), ["echo x"]);
        assert!(parse_command_line("echo $(id)").substitution);
        assert!(!parse_command_line("ls -la /tmp").chained);
        assert!(
            parse_command_line("sudo ls")
                .commands
                .iter()
                .all(|c| c.elevated)
        );
    }

    #[test]
    fn quotes_keep_operators_as_text() {
        assert_eq!(programs("echo 'a; rm -rf /'"), ["echo a; rm -rf /"]);
        assert_eq!(programs("grep -c x 2>/dev/null"), ["grep -c x"]);
    }

    #[test]
    fn list_arguments_join_the_last_command() {
        let args = |list: &[&str]| list.iter().map(|w| (*w).to_owned()).collect::<Vec<_>>();
        let with = |text: &str, list: &[&str]| {
            parse_command_line_with_args(text, &args(list))
                .commands
                .iter()
                .map(|c| (c.argv.join(" "), c.elevated))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            with("sh", &["-c", "rm -rf /"]),
            [("rm -rf /".to_owned(), false)]
        );
        assert_eq!(
            with("sudo", &["/bin/rm", "-rf", "/"]),
            [("rm -rf /".to_owned(), true)]
        );
        assert_eq!(
            with("ls; rm", &["-rf", "/"]),
            [("ls".to_owned(), false), ("rm -rf /".to_owned(), false)]
        );
    }

    #[test]
    fn argv_lists_are_read_like_lines() {
        let argv: Vec<String> = ["sudo", "/bin/rm", "-rf", "/"].map(String::from).to_vec();
        let line = parse_argv(&argv);
        assert_eq!(
            line.commands.first().map(|c| c.argv.join(" ")),
            Some("rm -rf /".to_owned())
        );
        assert!(line.commands.iter().all(|c| c.elevated));
    }

    #[test]
    fn nesting_is_bounded() {
        let script = format!("{}rm -rf /", "eval ".repeat(20));
        assert!(parse_command_line(&script).truncated);
        let shallow = format!("{}rm -rf /", "eval ".repeat(3));
        assert_eq!(programs(&shallow), ["rm -rf /"]);
    }
}
