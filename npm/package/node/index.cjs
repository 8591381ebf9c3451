// Node, `require("portcullis")`: the wasm instantiated synchronously, and
// the classes wrapped so that a trap in the instance fails closed and a
// fresh instance takes over (failsafe.js).
const glue = require("./portcullis.js");
const { failsafe } = require("./failsafe.js");
const { PolicyError, SuiteError, EngineError } = require("./errors.js");

const { Policy, Suite } = failsafe({
  Policy: glue.Policy,
  Suite: glue.Suite,
  reinstantiate: glue.__portcullis_reinstantiate,
});

module.exports = { Policy, Suite, PolicyError, SuiteError, EngineError };
