// Asking the user for approval through the client: MCP elicitation.
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { ToolCall, Verdict } from "portcullis";

import type { ApprovalOutcome } from "./result.js";

/** The question the client shows the user. */
export function approvalQuestion(verdict: Verdict, call: ToolCall): string {
  const where = call.server ? ` on server \`${call.server}\`` : "";
  const rule = verdict.rule ? `rule \`${verdict.rule}\`` : "the policy's defaults";
  const args = call.arguments ? ` with ${JSON.stringify(call.arguments).slice(0, 500)}` : "";
  return (
    `The agent wants to call \`${call.tool}\`${where}${args}. ` +
    `It needs your approval (${rule}, risk ${verdict.riskScore}/100 ${verdict.riskLevel}): ${verdict.reason} ` +
    "Approve this call?"
  );
}

/** The form the client shows: one yes/no field. */
export const APPROVAL_SCHEMA: {
  type: "object";
  properties: { approve: { type: "boolean"; title: string; description: string } };
  required: string[];
} = {
  type: "object",
  properties: {
    approve: { type: "boolean", title: "Approve", description: "Run this tool call" },
  },
  required: ["approve"],
};

/** Asks through `elicitation/create`; a decline, a cancel, an error or no answer in time is no. */
export async function askThroughClient(
  server: Server,
  verdict: Verdict,
  call: ToolCall,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<{ approved: boolean; outcome: ApprovalOutcome; reason?: string }> {
  try {
    const answer = await server.elicitInput(
      { message: approvalQuestion(verdict, call), requestedSchema: APPROVAL_SCHEMA },
      { timeout: timeoutMs, signal },
    );
    if (answer.action === "accept" && answer.content?.approve === true) {
      return { approved: true, outcome: "declined" };
    }
    const reason = answer.action === "accept" ? "the user answered no" : `the user chose ${answer.action}`;
    return { approved: false, outcome: "declined", reason };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const timedOut = /timed? ?out/i.test(message);
    return { approved: false, outcome: timedOut ? "timed_out" : "failed", reason: timedOut ? undefined : message };
  }
}
