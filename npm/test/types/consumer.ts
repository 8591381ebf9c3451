// A TypeScript consumer of the built package: `tsc --noEmit` on it proves
// the generated declarations (wire types from Rust, API from wasm-bindgen
// and from the TypeScript sources of portcullis/mcp).
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { Policy, PolicyError, Suite } from "portcullis";
import type { Diagnostic, EvaluateOptions, MessageVerdict, Report, SuiteReport, ToolCall, Verdict } from "portcullis";
import { govern } from "portcullis/mcp";
import type { GovernOptions, Outcome } from "portcullis/mcp";

const policy: Policy = Policy.fromYaml("version: \"1\"\n");
const call: ToolCall = { tool: "read_file", server: "fs", arguments: { path: "/a", depth: 2, tags: ["x"] }, annotations: { readOnlyHint: true } };
const options: EvaluateOptions = { now: new Date(), trace: false };
const verdict: Verdict = policy.evaluate(call, options);
const decision: "allow" | "require_approval" | "deny" = verdict.decision;
const score: number = verdict.riskScore;
const rule: string | null = verdict.rule;
const level: "low" | "medium" | "high" | "critical" = verdict.riskLevel;
const firstFailed: string | undefined = verdict.trace[0]?.failed?.field;
policy.evaluate(call, { now: 1_767_787_200_000 });
policy.evaluate(call, { now: "2026-01-07T12:00:00Z" });
policy.evaluate(call);
const results: MessageVerdict[] = policy.evaluateMessage('{"jsonrpc":"2.0"}', { server: "fs", annotations: { rm: { destructiveHint: true } } });
policy.evaluateMessage('{"jsonrpc":"2.0"}', { trace: false });
const kind: "tool_call" | "not_a_tool_call" | "invalid" = results[0].kind;
const report: Report = Policy.check("rules: [");
const line: number = report.errors[0].line;
const names: string[] = policy.ruleNames;

try {
  Policy.fromYaml("rules: [");
} catch (error) {
  if (error instanceof PolicyError) {
    const diagnostics: Diagnostic[] = error.diagnostics;
    console.log(diagnostics.map((d) => `${d.line}:${d.column} ${d.message} ${d.help ?? ""}`));
  }
}

const suite = Suite.fromYaml("cases: []");
const suiteReport: SuiteReport = suite.run((file: string) => file);
const passed: boolean = suiteReport.cases.every((c) => c.passed);
suite.free();
policy[Symbol.dispose]();

const server = new McpServer({ name: "fs", version: "1.0.0" });
const governOptions: GovernOptions = {
  policy: "version: \"1\"\n",
  onApprovalRequired: async (v: Verdict, c: ToolCall) => v.riskScore < 50 && c.tool !== "rm",
  onDecision: (v: Verdict, c: ToolCall, outcome: Outcome) => console.log(v.code, c.tool, outcome),
  hideDeniedTools: true,
  trace: false,
};
const same: McpServer = govern(server, governOptions);

// @ts-expect-error: a tool call needs `tool`
policy.evaluate({ server: "fs" });
// @ts-expect-error: `decision` is one of three strings
const wrong: "maybe" = verdict.decision;
// @ts-expect-error: the score is a number
verdict.riskScore.toUpperCase();
// @ts-expect-error: options are typed
policy.evaluate(call, { trace: "yes" });

export { decision, score, rule, level, firstFailed, kind, line, names, passed, same, wrong };
