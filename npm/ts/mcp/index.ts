// `portcullis/mcp`: governance for servers built on the MCP TypeScript SDK.
// Every `tools/call` is decided by the policy before the tool's handler
// runs, with the server's name and the tool's declared annotations.
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { Policy } from "portcullis";
import type { Annotations, ToolCall, Verdict } from "portcullis";

import { askThroughClient } from "./approval.js";
import { deniedWhateverTheArguments, refusal } from "./result.js";
import type { ApprovalOutcome } from "./result.js";

export { deniedWhateverTheArguments, refusal, refusalText, VERDICT_META_KEY } from "./result.js";
export type { ApprovalOutcome, Refusal, RefusalResult } from "./result.js";

/** What an approver answers: `true`/`false`, or with a reason. */
export type ApprovalAnswer = boolean | { approved: boolean; reason?: string };

/** What finally happened to a call. */
export type Outcome = "allowed" | "denied" | "approved" | "not_approved";

/** Options of {@link govern}. */
export interface GovernOptions {
  /** The policy: compiled, or its YAML text (compiled here; throws `PolicyError`). */
  policy: Policy | string;
  /** The server's name as the policy matches it (`match.target`); defaults to the name the server was created with. */
  serverName?: string;
  /** The calling agent's id, when the server knows it. */
  agent?: string;
  /**
   * Decides a call that requires approval. Resolve `true` (or `{ approved: true }`)
   * to run it. Throwing or not answering within `approvalTimeoutMs` denies it.
   */
  onApprovalRequired?: (verdict: Verdict, call: ToolCall) => ApprovalAnswer | Promise<ApprovalAnswer>;
  /**
   * Ask the user through the client (MCP form elicitation) when the client supports it;
   * `onApprovalRequired` then only decides for clients that do not.
   */
  elicitApproval?: boolean;
  /** How long an approval may take, in milliseconds (default 60000); then the call is denied. */
  approvalTimeoutMs?: number;
  /** Sees every verdict and what came of it (for audit logs and metrics). Errors it throws are reported, not fatal. */
  onDecision?: (verdict: Verdict, call: ToolCall, outcome: Outcome) => void | Promise<void>;
  /** Leave out of `tools/list` the tools the policy denies whatever their arguments. */
  hideDeniedTools?: boolean;
  /**
   * Whether the verdicts of calls carry the trace of the rules checked (default
   * `true`). The trace lists every rule up to the deciding one, so in a long
   * policy it is most of a decision's cost and of the verdict a refusal sends
   * back in `_meta`; turn it off when no hook reads it. (`hideDeniedTools`
   * still reads the trace, of its own evaluations.)
   */
  trace?: boolean;
  /** The clock for decisions (default: the current time). */
  now?: () => Date | number;
  /** Where errors of `onDecision` go (default `console.error`). */
  onError?: (error: unknown) => void;
}

type Handler = (request: { method: string; params?: Record<string, unknown> }, extra: Extra) => Promise<unknown>;
type Extra = { sessionId?: string; signal?: AbortSignal } & Record<string, unknown>;
interface ToolInfo {
  annotations?: Annotations;
  hasOutputSchema: boolean;
}

const governed = new WeakSet<object>();
const DEFAULT_TIMEOUT_MS = 60_000;
const ANNOTATION_KEYS = ["title", "readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const;

/**
 * Governs an MCP SDK server (`McpServer` or the low-level `Server`): every
 * `tools/call` is evaluated before the tool's handler runs. Works for tools
 * registered before or after this call. Returns the same server.
 */
export function govern<T extends McpServer | Server>(server: T, options: GovernOptions): T {
  const low = ("server" in server && typeof (server as McpServer).registerTool === "function"
    ? (server as McpServer).server
    : server) as Server;
  const handlers = (low as unknown as { _requestHandlers?: unknown })._requestHandlers;
  if (!(handlers instanceof Map)) {
    throw new TypeError("portcullis/mcp: not an MCP SDK server (or an SDK version without a request handler map)");
  }
  if (governed.has(low)) throw new Error("portcullis/mcp: this server is already governed");
  governed.add(low);
  const governor = new Governor(low, options);
  const map = handlers as Map<string, Handler>;
  const set = map.set.bind(map);
  const wrap = (method: string, handler: Handler): Handler => governor.wrap(method, handler);
  map.set = (method: string, handler: Handler) => set(method, wrap(method, handler));
  for (const [method, handler] of [...map]) set(method, wrap(method, handler));
  const announce = low.sendToolListChanged?.bind(low);
  if (announce) {
    low.sendToolListChanged = () => {
      governor.forgetTools();
      return announce();
    };
  }
  return server;
}

class Governor {
  private readonly policy: Policy;
  private readonly serverName: string | undefined;
  private listTools: Handler | undefined;
  private tools: Map<string, ToolInfo> | undefined;

  constructor(
    private readonly server: Server,
    private readonly options: GovernOptions,
  ) {
    this.policy = typeof options.policy === "string" ? Policy.fromYaml(options.policy) : options.policy;
    const info = (server as unknown as { _serverInfo?: { name?: string } })._serverInfo;
    this.serverName = options.serverName ?? info?.name;
  }

  wrap(method: string, handler: Handler): Handler {
    if (method === "tools/call") return (request, extra) => this.call(handler, request, extra);
    if (method === "tools/list") {
      this.listTools = handler;
      this.forgetTools();
      return (request, extra) => this.list(handler, request, extra);
    }
    return handler;
  }

  forgetTools(): void {
    this.tools = undefined;
  }

  private now(): Date | number {
    return this.options.now ? this.options.now() : Date.now();
  }

  private async call(handler: Handler, request: Parameters<Handler>[0], extra: Extra): Promise<unknown> {
    const params = (request?.params ?? {}) as Record<string, unknown>;
    const name = params.name as string;
    const info = typeof name === "string" ? await this.toolInfo(name, extra) : undefined;
    const call = {
      tool: name,
      server: this.serverName,
      arguments: params.arguments,
      annotations: info?.annotations,
      agent: this.options.agent,
      client: this.server.getClientVersion?.()?.name,
      session: extra?.sessionId,
    } as ToolCall;
    const verdict = this.policy.evaluate(call, { now: this.now(), trace: this.options.trace });
    const structured = !info?.hasOutputSchema;
    if (verdict.decision === "allow") {
      await this.report(verdict, call, "allowed");
      return handler(request, extra);
    }
    if (verdict.decision === "deny") {
      await this.report(verdict, call, "denied");
      return refusal(verdict, call, { structured });
    }
    const answer = await this.approve(verdict, call, extra);
    if (answer.approved) {
      await this.report(verdict, call, "approved");
      return handler(request, extra);
    }
    await this.report(verdict, call, "not_approved");
    return refusal(verdict, call, {
      approval: answer.outcome,
      approvalReason: answer.reason,
      timeoutMs: this.timeoutMs(),
      structured,
    });
  }

  private timeoutMs(): number {
    return this.options.approvalTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  private async approve(
    verdict: Verdict,
    call: ToolCall,
    extra: Extra,
  ): Promise<{ approved: boolean; outcome: ApprovalOutcome; reason?: string }> {
    const timeoutMs = this.timeoutMs();
    const { onApprovalRequired, elicitApproval } = this.options;
    if (elicitApproval && this.server.getClientCapabilities?.()?.elicitation?.form) {
      return askThroughClient(this.server, verdict, call, timeoutMs, extra.signal);
    }
    if (!onApprovalRequired) return { approved: false, outcome: "unavailable" };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    try {
      const answer = await Promise.race([Promise.resolve().then(() => onApprovalRequired(verdict, call)), timedOut]);
      if (answer === "timeout") return { approved: false, outcome: "timed_out" };
      const approved = typeof answer === "object" && answer !== null ? answer.approved === true : answer === true;
      const reason = typeof answer === "object" && answer !== null && typeof answer.reason === "string" ? answer.reason : undefined;
      return { approved, outcome: "declined", reason };
    } catch (error) {
      return { approved: false, outcome: "failed", reason: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }

  private async report(verdict: Verdict, call: ToolCall, outcome: Outcome): Promise<void> {
    if (!this.options.onDecision) return;
    try {
      await this.options.onDecision(verdict, call, outcome);
    } catch (error) {
      (this.options.onError ?? console.error)(error);
    }
  }

  private async list(handler: Handler, request: Parameters<Handler>[0], extra: Extra): Promise<unknown> {
    const result = (await handler(request, extra)) as { tools?: Array<Record<string, unknown>> };
    if (!this.options.hideDeniedTools || !Array.isArray(result?.tools)) return result;
    const tools = result.tools.filter((tool) => {
      const call = { tool: tool.name, server: this.serverName, annotations: annotationsOf(tool) } as ToolCall;
      return !deniedWhateverTheArguments(this.policy.evaluate(call, { now: this.now() }));
    });
    return { ...result, tools };
  }

  // The tools' annotations and output schemas, read through the server's
  // own tools/list (every page) and kept until the tool list changes.
  private async toolInfo(name: string, extra: Extra): Promise<ToolInfo | undefined> {
    if (!this.tools?.has(name) && this.listTools) {
      const tools = new Map<string, ToolInfo>();
      let cursor: unknown;
      try {
        for (let page = 0; page < 100; page++) {
          const params = cursor === undefined ? {} : { cursor };
          const listed = (await this.listTools({ method: "tools/list", params }, extra)) as {
            tools?: Array<Record<string, unknown>>;
            nextCursor?: unknown;
          };
          for (const tool of listed?.tools ?? []) {
            if (typeof tool.name !== "string") continue;
            tools.set(tool.name, { annotations: annotationsOf(tool), hasOutputSchema: tool.outputSchema != null });
          }
          cursor = listed?.nextCursor;
          if (cursor === undefined || cursor === null) break;
        }
      } catch {
        // Without annotations the engine assumes the MCP defaults (destructive, open world): stricter, never looser.
      }
      this.tools = tools;
    }
    return this.tools?.get(name);
  }
}

function annotationsOf(tool: Record<string, unknown>): Annotations | undefined {
  const given = tool.annotations;
  if (typeof given !== "object" || given === null) return undefined;
  const annotations: Record<string, unknown> = {};
  for (const key of ANNOTATION_KEYS) {
    const value = (given as Record<string, unknown>)[key];
    if (value !== undefined) annotations[key] = value;
  }
  return annotations as Annotations;
}
