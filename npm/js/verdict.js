// Builds a verdict object from the fields the engine writes (npm/src/fields.rs):
// one text, every field followed by SEP, null written as NUL, and a failed
// clause's field or value that repeats the clause before it as SAME (the
// string read then is used again). Used instead of
// JSON.parse, which was the largest single cost of a decision; the npm tests
// check that both give the same object for every case of the corpus.
//
// The text is read with a cursor (`text`, `at`) rather than split: only the
// fields that are texts become strings, numbers are read from the character
// codes and nulls are recognised in place, which halves the cost of a
// verdict. The cursor lives in the module (nothing the reading calls can
// re-enter it) and lets go of the text when done.

const SEP = 1;
const NUL = 2;
const SAME = 3;

let text = "";
let at = 0;

function fail(message) {
  text = "";
  throw new Error(`verdict fields: ${message}`);
}

/** The next field, a text. */
function str() {
  const end = text.indexOf("\u0001", at);
  if (end < 0) fail("the text ends inside a field");
  const value = text.slice(at, end);
  at = end + 1;
  return value;
}

/** Whether the next field is the marker `code` alone; if so, it is skipped. */
function isMarker(code) {
  if (text.charCodeAt(at) === code && text.charCodeAt(at + 1) === SEP) {
    at += 2;
    return true;
  }
  return false;
}

/** Whether the next field is null (NUL alone); if so, it is skipped. */
function isNull() {
  return isMarker(NUL);
}

/** The next field, a flag written as 1 or 0. */
function flag() {
  const c = text.charCodeAt(at);
  if ((c !== 48 && c !== 49) || text.charCodeAt(at + 1) !== SEP) fail("a flag is neither 1 nor 0");
  at += 2;
  return c === 49;
}

/** The next field, a text or null. */
function opt() {
  return isNull() ? null : str();
}

/** The next field, an integer as Rust writes it (`-` and digits). */
function num() {
  let i = at;
  let c = text.charCodeAt(i);
  const negative = c === 45;
  if (negative) c = text.charCodeAt(++i);
  const start = i;
  let value = 0;
  while (c >= 48 && c <= 57) {
    value = value * 10 + (c - 48);
    c = text.charCodeAt(++i);
  }
  // Anything else (no digits, more than an integer) as Number reads it.
  if (c !== SEP || i === start || i - start > 15) return Number(str());
  at = i + 1;
  return negative ? -value : value;
}

export function verdictFromFields(fields) {
  text = fields;
  at = 0;
  const decision = str();
  const code = str();
  const riskScore = num();
  const riskLevel = str();
  const rule = opt();
  const reason = str();
  const factors = [];
  for (let n = num(); n > 0; n--) factors.push({ name: str(), points: num(), detail: str() });
  const approvalLevel = isNull() ? null : num();
  const compliance = [];
  for (let n = num(); n > 0; n--) compliance.push(str());
  const trace = [];
  // The field and value of the failed clause read last, which SAME repeats.
  let field;
  let actual;
  for (let n = num(); n > 0; n--) {
    const step = { rule: str(), index: num(), line: num(), matched: flag() };
    if (!isNull()) {
      if (isMarker(SAME)) {
        if (field === undefined) fail("a repeat before any failed clause");
      } else field = str();
      const pattern = str();
      if (isMarker(SAME)) {
        if (actual == null) fail("a repeated value before any value");
      } else actual = opt();
      step.failed = { field, pattern, actual };
    }
    trace.push(step);
  }
  const action = { tool: str(), server: opt(), namespace: str(), verb: str(), resource: str(), trust: opt() };
  if (at !== text.length) fail(`${text.length - at} characters left over`);
  text = "";
  return { decision, code, riskScore, riskLevel, rule, reason, factors, approvalLevel, compliance, trace, action };
}
