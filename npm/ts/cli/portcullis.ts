#!/usr/bin/env node
// npx portcullis check | eval | test | proxy
import { parseArgs } from "node:util";

import { EXIT_FAILED, EXIT_USAGE, Reported, UsageError, check, evaluate, loadPolicy, test } from "./commands.js";
import { runProxy } from "./proxy.js";

const USAGE = `usage:
  portcullis check <policy.yaml>... [--json]
      every error and warning with its line and column; exit 1 when a policy has errors
  portcullis eval <policy.yaml> <call.json | -> [--now <RFC 3339>] [--server <name>]
      the verdict on a tool call ({"tool": ..., "arguments": ...}) or a JSON-RPC message
  portcullis test <suite.yaml>...
      runs test suites in the engine's format; exit 1 when a case fails
  portcullis proxy --policy <policy.yaml> [--server-name <name>] [--approval deny|elicit]
                   [--approval-timeout <seconds>] [--hide-denied] [--no-trace] [--log json]
                   -- <server command>...
      a stdio gateway: governs every tools/call, passes everything else through,
      logs decisions to stderr`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "check": {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { json: { type: "boolean" } } });
      return check(positionals, values.json ?? false);
    }
    case "eval": {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { now: { type: "string" }, server: { type: "string" } },
      });
      if (positionals.length !== 2) throw new UsageError("eval needs a policy file and a call file (or - for stdin)");
      return evaluate(positionals[0], positionals[1], values);
    }
    case "test":
      return test(rest);
    case "proxy":
      return proxy(rest);
    case "help":
    case "--help":
    case "-h":
      console.log(USAGE);
      return 0;
    default:
      throw new UsageError(command ? `unknown command \`${command}\`` : "no command given");
  }
}

async function proxy(args: string[]): Promise<number> {
  const split = args.indexOf("--");
  if (split < 0 || split === args.length - 1) {
    throw new UsageError("proxy needs the server's command after --, e.g. -- npx -y @modelcontextprotocol/server-filesystem /tmp");
  }
  const { values } = parseArgs({
    args: args.slice(0, split),
    options: {
      policy: { type: "string" },
      "server-name": { type: "string" },
      approval: { type: "string", default: "deny" },
      "approval-timeout": { type: "string", default: "60" },
      "hide-denied": { type: "boolean", default: false },
      "no-trace": { type: "boolean", default: false },
      log: { type: "string", default: "text" },
    },
  });
  if (!values.policy) throw new UsageError("proxy needs --policy <policy.yaml>");
  if (values.approval !== "deny" && values.approval !== "elicit") throw new UsageError("--approval is deny or elicit");
  const timeout = Number(values["approval-timeout"]);
  if (!(timeout > 0)) throw new UsageError("--approval-timeout is a number of seconds");
  const command = args.slice(split + 1);
  const policy = loadPolicy(values.policy);
  return runProxy({
      policy,
    command,
    serverName: values["server-name"],
    approval: values.approval,
    approvalTimeoutMs: timeout * 1000,
    hideDenied: values["hide-denied"] ?? false,
    trace: !(values["no-trace"] ?? false),
    logJson: values.log === "json",
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`portcullis: ${error.message}\n\n${USAGE}`);
      process.exitCode = EXIT_USAGE;
    } else if (error instanceof Reported) {
      process.exitCode = EXIT_FAILED;
    } else {
      console.error(`portcullis: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    }
  },
);
