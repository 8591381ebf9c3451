// CommonJS consumers get the same declarations through `require`.
import portcullis = require("portcullis");

const policy = portcullis.Policy.fromYaml("version: \"1\"\n");
const verdict: portcullis.Verdict = policy.evaluate({ tool: "read_file" });
export const allowed: boolean = verdict.decision === "allow";
