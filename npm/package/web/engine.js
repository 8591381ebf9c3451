// The classes of the web build, wrapped once for every entry that uses the
// web glue (the self-initialising entry, `portcullis/web`, workerd), so a
// trap in the instance fails closed and a fresh instance takes over
// (failsafe.js). Nothing here touches the wasm until a class is used.
import * as glue from "./portcullis.js";
import { failsafe } from "./failsafe.js";

export const { Policy, Suite } = failsafe({
  Policy: glue.Policy,
  Suite: glue.Suite,
  reinstantiate: glue.__portcullis_reinstantiate,
});
