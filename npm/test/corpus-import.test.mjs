// The shared corpus through `import "portcullis"`.
import { test } from "node:test";

import * as portcullis from "portcullis";

import { corpus } from "./support/corpus.mjs";

test("the corpus through import", (t) => corpus(t, portcullis));
