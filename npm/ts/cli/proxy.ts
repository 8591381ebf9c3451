// `portcullis proxy`: a stdio gateway between an MCP client and a server
// in any language. Every `tools/call` (batches too) is decided before it
// reaches the server; everything else passes through untouched.
import { spawn } from "node:child_process";
import type { Readable, Writable } from "node:stream";

import type { Annotations, MessageVerdict, Policy, ToolCall, Verdict } from "portcullis";

import { APPROVAL_SCHEMA, approvalQuestion } from "../mcp/approval.js";
import { deniedWhateverTheArguments, refusal } from "../mcp/result.js";

/** Options of {@link runProxy}. */
export interface ProxyOptions {
  policy: Policy;
  /** The server's command and arguments. */
  command: string[];
  /** The server's name as the policy matches it; default: the name the server gives in its `initialize` answer. */
  serverName?: string;
  /** What a call that needs approval gets: denied, or the user is asked through the client. */
  approval: "deny" | "elicit";
  approvalTimeoutMs: number;
  /** Leave out of `tools/list` the tools the policy denies whatever their arguments. */
  hideDenied: boolean;
  /**
   * Whether the verdicts of calls carry the trace of the rules checked (default
   * `true`; a refusal sends its verdict back in `_meta`). In a long policy the
   * trace is most of a decision's cost.
   */
  trace?: boolean;
  /** Decision log lines as JSON instead of text. */
  logJson: boolean;
  input?: Readable;
  output?: Writable;
  log?: (line: string) => void;
}

type Message = Record<string, unknown>;
type Id = string | number | null;

const key = (id: unknown) => JSON.stringify(id ?? null);

/** Runs the gateway until the server exits; resolves to its exit code. */
export function runProxy(options: ProxyOptions): Promise<number> {
  return new Gateway(options).run();
}

class Gateway {
  private readonly input: Readable;
  private readonly output: Writable;
  private readonly log: (line: string) => void;
  private readonly annotations: Record<string, Annotations> = {};
  private readonly listRequests = new Set<string>();
  private readonly ownRequests = new Map<string, (message: Message) => void>();
  private clientName: string | undefined;
  private serverName: string | undefined;
  private readonly initializeRequests = new Set<string>();
  private clientElicits = false;
  private nextId = 1;
  private toServer: (line: string) => void = () => {};

  constructor(private readonly options: ProxyOptions) {
    this.serverName = options.serverName;
    this.input = options.input ?? process.stdin;
    this.output = options.output ?? process.stdout;
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  run(): Promise<number> {
    const [command, ...args] = this.options.command;
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "inherit"] });
    this.toServer = (line) => {
      child.stdin.write(`${line}\n`);
    };
    child.stdin.on("error", () => {});
    readLines(this.input, (line) => this.fromClient(line), () => child.stdin.end());
    readLines(child.stdout, (line) => this.fromServer(line), () => {});
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.once(signal, () => child.kill(signal));
    }
    return new Promise((resolve) => {
      child.once("error", (error) => {
        this.log(`portcullis: cannot start \`${command}\`: ${error.message}`);
        resolve(127);
      });
      child.once("close", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    });
  }

  private toClient(message: unknown): void {
    this.output.write(`${JSON.stringify(message)}\n`);
  }

  private fromClient(line: string): void {
    if (line.trim() === "") return;
    const parsed = parseJson(line);
    if (isResponse(parsed) && this.ownRequests.has(key(parsed.id))) {
      this.ownRequests.get(key(parsed.id))?.(parsed);
      this.ownRequests.delete(key(parsed.id));
      return;
    }
    const items: unknown[] = Array.isArray(parsed) ? parsed : [parsed];
    for (const item of items) this.remember(item);
    const results = this.options.policy.evaluateMessage(line, {
      server: this.serverName,
      annotations: this.annotations,
      client: this.clientName,
      trace: this.options.trace,
    });
    if (results.every((r) => r.kind === "not_a_tool_call")) {
      this.toServer(line);
      return;
    }
    if (parsed === undefined || results.length !== items.length) {
      // The line as a whole is not valid (not JSON, an empty or oversized batch).
      for (const result of results) this.invalid(result, null, undefined, parsed === undefined ? -32700 : -32600);
      return;
    }
    const forward: unknown[] = [];
    const replies: unknown[] = [];
    results.forEach((result, i) => {
      const item = items[i] as Message;
      if (result.kind === "not_a_tool_call") forward.push(item);
      else if (result.kind === "invalid" || !result.verdict) this.invalid(result, (result.id ?? item?.id ?? null) as Id, replies);
      else this.decide(item, result, result.verdict, forward, replies);
    });
    if (forward.length === items.length) this.toServer(line);
    else if (forward.length > 0) this.toServer(JSON.stringify(Array.isArray(parsed) ? forward : forward[0]));
    if (replies.length > 0) this.toClient(Array.isArray(parsed) ? replies : replies[0]);
  }

  private remember(item: unknown): void {
    if (typeof item !== "object" || item === null) return;
    const message = item as Message;
    const params = (message.params ?? {}) as Message;
    if (message.method === "initialize") {
      this.initializeRequests.add(key(message.id));
      this.clientName = (params.clientInfo as Message | undefined)?.name as string | undefined;
      this.clientElicits = Boolean((params.capabilities as Message | undefined)?.elicitation);
    } else if (message.method === "notifications/initialized") {
      // Learn the tools' annotations before the first call.
      setImmediate(() => this.listTools());
    } else if (message.method === "tools/list" && message.id !== undefined) {
      this.listRequests.add(key(message.id));
    }
  }

  private decide(item: Message, result: MessageVerdict, verdict: Verdict, forward: unknown[], replies: unknown[]): void {
    const call = this.callOf(item);
    this.logDecision(verdict, call, result.id);
    if (verdict.decision === "allow") {
      forward.push(item);
    } else if (verdict.decision === "deny") {
      replies.push(reply(result.id as Id, refusal(verdict, call)));
    } else if (this.options.approval === "elicit" && this.clientElicits) {
      void this.askClient(verdict, call).then((approved) => {
        this.log(`portcullis: ${approved ? "approved" : "not approved"} ${call.tool} (id ${key(result.id)})`);
        if (approved) this.toServer(JSON.stringify(item));
        else this.toClient(reply(result.id as Id, refusal(verdict, call, { approval: "declined" })));
      });
    } else {
      replies.push(reply(result.id as Id, refusal(verdict, call, { approval: "unavailable" })));
    }
  }

  private callOf(item: Message): ToolCall {
    const params = (item.params ?? {}) as Message;
    return {
      tool: String(params.name),
      server: this.serverName,
      arguments: params.arguments as ToolCall["arguments"],
    } as ToolCall;
  }

  private invalid(result: MessageVerdict, id: Id, replies?: unknown[], code = -32600): void {
    this.log(`portcullis: not forwarded: ${result.note}`);
    const message = reply(id, undefined, {
      code,
      message: `${code === -32700 ? "Parse error" : "Invalid request"}, not forwarded by portcullis: ${result.note}`,
    });
    if (replies) {
      // A notification (no id) gets no answer, as JSON-RPC says.
      if (id !== null && id !== undefined) replies.push(message);
    } else {
      this.toClient(message);
    }
  }

  private logDecision(verdict: Verdict, call: ToolCall, id: unknown): void {
    if (this.options.logJson) {
      const { decision, code, rule, riskScore, riskLevel, reason } = verdict;
      this.log(JSON.stringify({ time: new Date().toISOString(), id, tool: call.tool, server: call.server, decision, code, rule, riskScore, riskLevel, reason }));
      return;
    }
    const rule = verdict.rule ? `rule ${verdict.rule}` : "defaults";
    this.log(`portcullis: ${verdict.decision} ${call.tool} on ${call.server} (${rule}, ${verdict.code}, risk ${verdict.riskScore} ${verdict.riskLevel}): ${verdict.reason}`);
  }

  private request(method: string, params: Message, to: "client" | "server", timeoutMs: number): Promise<Message | undefined> {
    const id = `portcullis-${this.nextId++}`;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.ownRequests.delete(key(id));
        resolve(undefined);
      }, timeoutMs);
      this.ownRequests.set(key(id), (message) => {
        clearTimeout(timer);
        resolve(message);
      });
      const message = { jsonrpc: "2.0", id, method, params };
      if (to === "client") this.toClient(message);
      else this.toServer(JSON.stringify(message));
    });
  }

  private async askClient(verdict: Verdict, call: ToolCall): Promise<boolean> {
    const params = { message: approvalQuestion(verdict, call), requestedSchema: APPROVAL_SCHEMA };
    const answer = await this.request("elicitation/create", params, "client", this.options.approvalTimeoutMs);
    const result = answer?.result as { action?: string; content?: { approve?: unknown } } | undefined;
    return result?.action === "accept" && result.content?.approve === true;
  }

  private async listTools(): Promise<void> {
    let cursor: unknown;
    for (let page = 0; page < 100; page++) {
      const answer = await this.request("tools/list", cursor === undefined ? {} : { cursor }, "server", 10_000);
      const result = answer?.result as { tools?: Message[]; nextCursor?: unknown } | undefined;
      this.learn(result?.tools);
      cursor = result?.nextCursor;
      if (cursor === undefined || cursor === null) return;
    }
  }

  private learn(tools: Message[] | undefined): void {
    for (const tool of tools ?? []) {
      if (typeof tool.name === "string" && typeof tool.annotations === "object" && tool.annotations !== null) {
        this.annotations[tool.name] = tool.annotations as Annotations;
      }
    }
  }

  private fromServer(line: string): void {
    const parsed = parseJson(line);
    if (isResponse(parsed) && this.ownRequests.has(key(parsed.id))) {
      this.ownRequests.get(key(parsed.id))?.(parsed);
      this.ownRequests.delete(key(parsed.id));
      return;
    }
    if (isResponse(parsed) && this.initializeRequests.delete(key(parsed.id)) && this.options.serverName === undefined) {
      const info = (parsed.result as Message | undefined)?.serverInfo as Message | undefined;
      if (typeof info?.name === "string") this.serverName = info.name;
    }
    if (isRequest(parsed) && parsed.method === "notifications/tools/list_changed") {
      setImmediate(() => this.listTools());
    }
    if (!isResponse(parsed) || !this.listRequests.delete(key(parsed.id))) {
      this.output.write(`${line}\n`);
      return;
    }
    const result = parsed.result as { tools?: Message[] } | undefined;
    this.learn(result?.tools);
    if (!this.options.hideDenied || !Array.isArray(result?.tools)) {
      this.output.write(`${line}\n`);
      return;
    }
    const tools = result.tools.filter((tool) => !this.hidden(tool));
    this.toClient({ ...parsed, result: { ...result, tools } });
  }

  private hidden(tool: Message): boolean {
    const call = { tool: tool.name, server: this.serverName, annotations: tool.annotations } as ToolCall;
    return deniedWhateverTheArguments(this.options.policy.evaluate(call));
  }
}

function reply(id: Id, result?: unknown, error?: { code: number; message: string }): Message {
  return error ? { jsonrpc: "2.0", id, error } : { jsonrpc: "2.0", id, result };
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

function isResponse(value: unknown): value is Message {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !("method" in value) && "id" in value;
}

function isRequest(value: unknown): value is Message {
  return typeof value === "object" && value !== null && !Array.isArray(value) && "method" in value;
}

/** Calls `onLine` for every newline-terminated line (a last unterminated one too). */
function readLines(stream: Readable, onLine: (line: string) => void, onEnd: () => void): void {
  let buffer = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    buffer += chunk;
    let newline = buffer.indexOf("\n");
    while (newline >= 0) {
      const line = buffer.slice(0, newline).replace(/\r$/, "");
      buffer = buffer.slice(newline + 1);
      onLine(line);
      newline = buffer.indexOf("\n");
    }
  });
  stream.on("end", () => {
    if (buffer.trim() !== "") onLine(buffer);
    onEnd();
  });
}
