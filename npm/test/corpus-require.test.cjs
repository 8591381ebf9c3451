// The shared corpus through `require("portcullis")`.
const { test } = require("node:test");

test("the corpus through require", async (t) => {
  const { corpus } = await import("./support/corpus.mjs");
  await corpus(t, require("portcullis"));
});
