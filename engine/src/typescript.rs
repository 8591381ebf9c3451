//! TypeScript declarations of the wire types (feature `ts`), generated from
//! the Rust types so the npm package's types never drift from them.

use ts_rs::{Config, TS};

use crate::{
    Action, Annotations, CaseResult, Decision, Diagnostic, DiagnosticKind, Factor, FailedClause,
    MessageKind, MessageVerdict, Report, RiskLevel, Severity, Span, SuiteReport, ToolCall,
    TraceStep, Verdict, VerdictCode,
};

/// Every wire type as an exported TypeScript declaration, dependencies first.
#[must_use]
pub fn declarations() -> String {
    let cfg = Config::new().with_large_int("number");
    let decls = [
        Decision::decl(&cfg),
        RiskLevel::decl(&cfg),
        VerdictCode::decl(&cfg),
        Factor::decl(&cfg),
        FailedClause::decl(&cfg),
        TraceStep::decl(&cfg),
        Action::decl(&cfg),
        Verdict::decl(&cfg),
        Annotations::decl(&cfg),
        ToolCall::decl(&cfg),
        MessageKind::decl(&cfg),
        MessageVerdict::decl(&cfg),
        Severity::decl(&cfg),
        DiagnosticKind::decl(&cfg),
        Span::decl(&cfg),
        Diagnostic::decl(&cfg),
        Report::decl(&cfg),
        CaseResult::decl(&cfg),
        SuiteReport::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust types of the `portcullis` crate. Do not edit.\n\
         export type JsonValue = number | string | boolean | Array<JsonValue> | { [key: string]: JsonValue } | null;\n\n",
    );
    for decl in decls {
        out.push_str("export ");
        out.push_str(&decl);
        out.push_str("\n\n");
    }
    out
}
