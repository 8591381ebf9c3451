// Equivalent tool-call policies for portcullis and Cedar, and the calls
// both are asked about.
//
// Rule i matches the tools `tool<i>_*` on server `srv<i % 10>`; every third
// rule blocks, every third needs approval (a permit with its own id in
// Cedar), the rest allow. A call that no rule matches is denied by both
// (portcullis: no defaults; Cedar: default deny).

const approvals = ["block", "approve", "auto"];

export function portcullisPolicy(rules) {
  const lines = ['version: "1"', "rules:"];
  for (let i = 0; i < rules; i++) {
    lines.push(
      `  - name: rule_${i}`,
      `    match: { type: "tool${i}_*", target: "srv${i % 10}" }`,
      `    risk_level: ${i % 3 === 0 ? "critical" : "low"}`,
      `    approval: ${approvals[i % 3]}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

export function cedarPolicies(rules) {
  const policies = {};
  for (let i = 0; i < rules; i++) {
    const effect = i % 3 === 0 ? "forbid" : "permit";
    policies[`${approvals[i % 3]}_${i}`] =
      `${effect}(principal, action == Action::"call", resource) ` +
      `when { context.tool like "tool${i}_*" && context.server == "srv${i % 10}" };`;
  }
  return policies;
}

/** 100 calls spread over the rules (and a few that match none), the same for both. */
export function calls(rules) {
  const out = [];
  let seed = 42;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed;
  };
  for (let k = 0; k < 100; k++) {
    const i = next() % rules;
    const miss = k % 10 === 9;
    out.push({
      tool: miss ? `other${i}_read` : `tool${i}_read`,
      server: `srv${i % 10}`,
      arguments: { path: `/data/file${k}.csv`, limit: 10 },
    });
  }
  return out;
}

export function cedarRequest(call, policySetId) {
  return {
    principal: { type: "Agent", id: "agent-1" },
    action: { type: "Action", id: "call" },
    resource: { type: "Tool", id: call.tool },
    context: { tool: call.tool, server: call.server, arguments: call.arguments },
    preparsedPolicySetId: policySetId,
    entities: [],
  };
}
