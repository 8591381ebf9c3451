// Node, `require("portcullis")`: the wasm instantiated synchronously.
const { Policy, Suite } = require("./portcullis.js");
const { PolicyError, SuiteError } = require("./errors.js");

module.exports = { Policy, Suite, PolicyError, SuiteError };
