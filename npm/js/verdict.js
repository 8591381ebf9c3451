// Builds a verdict object from the fields the engine writes (npm/src/fields.rs):
// one text, every field followed by SEP, null written as NUL. Used instead of
// JSON.parse, which was the largest single cost of a decision; the npm tests
// check that both give the same object for every case of the corpus.

const SEP = "\u0001";
const NUL = "\u0002";

export function verdictFromFields(text) {
  const fields = text.split(SEP);
  let at = 0;
  const str = () => fields[at++];
  const opt = () => {
    const value = fields[at++];
    return value === NUL ? null : value;
  };
  const num = () => Number(fields[at++]);
  const decision = str();
  const code = str();
  const riskScore = num();
  const riskLevel = str();
  const rule = opt();
  const reason = str();
  const factors = [];
  for (let n = num(); n > 0; n--) factors.push({ name: str(), points: num(), detail: str() });
  const level = opt();
  const approvalLevel = level === null ? null : Number(level);
  const compliance = [];
  for (let n = num(); n > 0; n--) compliance.push(str());
  const trace = [];
  for (let n = num(); n > 0; n--) {
    const step = { rule: str(), index: num(), line: num(), matched: str() === "1" };
    const field = opt();
    if (field !== null) step.failed = { field, pattern: str(), actual: opt() };
    trace.push(step);
  }
  const action = { tool: str(), server: opt(), namespace: str(), verb: str(), resource: str(), trust: opt() };
  if (at !== fields.length - 1) throw new Error(`verdict fields: read ${at} of ${fields.length - 1}`);
  return { decision, code, riskScore, riskLevel, rule, reason, factors, approvalLevel, compliance, trace, action };
}
