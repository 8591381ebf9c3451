// What a model sees when a call does not run: a `CallToolResult` with
// `isError`, a text it can act on, and the verdict in structured form.
import type { ToolCall, Verdict } from "portcullis";

/** Why a call that needed approval did not run. */
export type ApprovalOutcome = "declined" | "timed_out" | "unavailable" | "failed";

/** The structured form of a refusal (`structuredContent.portcullis`). */
export interface Refusal {
  /** Always `"deny"`: the call did not run. */
  decision: "deny";
  /** The engine's stable code (`rule_block`, `defaults`, `rule_approve`, ...). */
  code: Verdict["code"];
  /** The rule that decided, or `null` when the defaults did. */
  rule: string | null;
  /** The engine's sentence. */
  reason: string;
  riskScore: number;
  riskLevel: Verdict["riskLevel"];
  /** For a call that needed approval: why it was not approved. */
  approval?: ApprovalOutcome;
  /** The approver's own words, when it gave any. */
  approvalReason?: string;
}

/** The `_meta` key under which the full verdict travels. */
export const VERDICT_META_KEY = "dev.portcullis/verdict";

/** A tool result shaped as the MCP SDK's `CallToolResult`. */
export interface RefusalResult {
  [key: string]: unknown;
  isError: true;
  content: Array<{ type: "text"; text: string }>;
  structuredContent?: { portcullis: Refusal };
  _meta: { [VERDICT_META_KEY]: Verdict };
}

function describeCall(call: ToolCall): string {
  const tool = typeof call.tool === "string" ? `\`${call.tool}\`` : "the tool call";
  return call.server ? `${tool} on server \`${call.server}\`` : tool;
}

function ruleText(verdict: Verdict): string {
  const rule = verdict.rule ? `rule \`${verdict.rule}\`` : "the policy's defaults";
  return `${rule}, code ${verdict.code}, risk ${verdict.riskScore}/100 ${verdict.riskLevel}`;
}

/** The sentence a model reads for a refused call. */
export function refusalText(
  verdict: Verdict,
  call: ToolCall,
  approval?: ApprovalOutcome,
  approvalReason?: string,
  timeoutMs?: number,
): string {
  const what = describeCall(call);
  const because = approvalReason ? ` (${approvalReason})` : "";
  switch (approval) {
    case undefined:
      return (
        `Denied by policy: ${what} was not run (${ruleText(verdict)}). ${verdict.reason} ` +
        "Do not retry the same call; choose another approach or ask the user."
      );
    case "declined":
      return (
        `Not run: ${what} needs approval (${ruleText(verdict)}) and the approver declined${because}. ` +
        `${verdict.reason} Do not retry without the user's go-ahead.`
      );
    case "timed_out":
      return (
        `Not run: ${what} needs approval (${ruleText(verdict)}) and no answer came within ` +
        `${Math.round((timeoutMs ?? 0) / 1000)} s, so it was denied. ${verdict.reason}`
      );
    case "unavailable":
      return (
        `Not run: ${what} needs a person's approval (${ruleText(verdict)}), and no approver is ` +
        `available here, so it was denied. ${verdict.reason} Ask the user to approve it another way.`
      );
    case "failed":
      return (
        `Not run: ${what} needs approval (${ruleText(verdict)}) and asking for it failed${because}, ` +
        `so it was denied. ${verdict.reason}`
      );
  }
}

/** The result returned instead of running the tool. */
export function refusal(
  verdict: Verdict,
  call: ToolCall,
  options: {
    approval?: ApprovalOutcome;
    approvalReason?: string;
    timeoutMs?: number;
    structured?: boolean;
  } = {},
): RefusalResult {
  const { approval, approvalReason, timeoutMs, structured = true } = options;
  const result: RefusalResult = {
    isError: true,
    content: [{ type: "text", text: refusalText(verdict, call, approval, approvalReason, timeoutMs) }],
    _meta: { [VERDICT_META_KEY]: verdict },
  };
  if (structured) {
    const portcullis: Refusal = {
      decision: "deny",
      code: verdict.code,
      rule: verdict.rule,
      reason: verdict.reason,
      riskScore: verdict.riskScore,
      riskLevel: verdict.riskLevel,
    };
    if (approval) portcullis.approval = approval;
    if (approvalReason) portcullis.approvalReason = approvalReason;
    result.structuredContent = { portcullis };
  }
  return result;
}

/** The fields of a policy match that never depend on a call's arguments. */
const ARGUMENT_FREE_FIELDS = new Set(["match.type", "match.tool", "match.target", "match.server", "match.agent"]);
const UNCONDITIONAL_CODES = new Set(["rule_block", "defaults", "no_defaults", "sandbox_server"]);

/**
 * Whether a verdict on a call without arguments is a deny that no
 * arguments could change: every rule checked before the decision failed on
 * the tool, server or agent name, and the decision is not score-based.
 */
export function deniedWhateverTheArguments(verdict: Verdict): boolean {
  if (verdict.decision !== "deny" || !UNCONDITIONAL_CODES.has(verdict.code)) return false;
  return verdict.trace.every((step) => step.matched || (step.failed != null && ARGUMENT_FREE_FIELDS.has(step.failed.field)));
}
