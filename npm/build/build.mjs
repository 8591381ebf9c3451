#!/usr/bin/env node
// Builds the npm package `portcullis` into npm/pkg/ (or --out DIR):
//   1. the cdylib for wasm32: profile wasm-release (opt-level 3) for Node,
//      wasm-small (opt-level z) for the web, bundler and workerd builds
//      (dev for both with --dev),
//   2. wasm-bindgen for the nodejs, web and bundler targets,
//   3. wasm-opt -Oz from the npm `binaryen` (never Debian's), once per profile,
//   4. the TypeScript declarations of the wire types, generated from the
//      Rust types (ts-rs), appended to every entry's .d.ts,
//   5. the fail-safe layer (js/failsafe.js, wrapping the glue's classes) and
//      a `__portcullis_reinstantiate` added to the nodejs and web glue, so a
//      trapped instance can be replaced by a fresh one,
//   6. the entries, `portcullis/mcp`, the CLI and package.json from package/.
// Usage: node build/build.mjs [--dev] [--no-opt] [--out DIR] [--features LIST]
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const npmDir = path.resolve(here, "..");
const root = path.resolve(npmDir, "..");
const args = process.argv.slice(2);
const dev = args.includes("--dev");
const optimize = !dev && !args.includes("--no-opt");
const outIndex = args.indexOf("--out");
const featuresIndex = args.indexOf("--features");
const features = featuresIndex >= 0 ? ["--features", args[featuresIndex + 1]] : [];
const out = path.resolve(outIndex >= 0 ? args[outIndex + 1] : path.join(npmDir, "pkg"));
const name = "portcullis";

function log(message) {
  process.stderr.write(`\x1b[1m--> ${message}\x1b[0m\n`);
}

function run(command, argv, options = {}) {
  return execFileSync(command, argv, {
    cwd: root,
    stdio: options.capture ? ["ignore", "pipe", "inherit"] : "inherit",
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
}

const metadata = JSON.parse(
  run("cargo", ["metadata", "--format-version", "1", "--no-deps"], { capture: true }),
);
const targetDir = metadata.target_directory;
const crate = metadata.packages.find((p) => p.name === "portcullis-wasm");
// Node gets the build tuned for speed (servers decide all day); the web,
// bundler and workerd builds, downloaded and started cold, the smallest.
const targets = {
  node: { target: "nodejs", profile: "wasm-release" },
  web: { target: "web", profile: "wasm-small" },
  bundler: { target: "bundler", profile: "wasm-small" },
};
const rawWasm = {};
for (const profile of new Set(Object.values(targets).map((t) => (dev ? "dev" : t.profile)))) {
  log(`cargo build -p portcullis-wasm (${profile}, wasm32)`);
  run("cargo", [
    "build", "-p", "portcullis-wasm", "--target", "wasm32-unknown-unknown", "--profile", profile, ...features,
  ]);
  const profileDir = profile === "dev" ? "debug" : profile;
  rawWasm[profile] = path.join(targetDir, "wasm32-unknown-unknown", profileDir, "portcullis_wasm.wasm");
}

log("TypeScript declarations of the wire types (ts-rs)");
const declarations = run(
  "cargo",
  ["run", "--quiet", "-p", "portcullis-wasm", "--features", "ts", "--example", "typescript"],
  { capture: true },
);

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
for (const [dir, { target, profile }] of Object.entries(targets)) {
  log(`wasm-bindgen --target ${target}`);
  run("wasm-bindgen", [
    "--target", target, "--out-dir", path.join(out, dir), "--out-name", name, rawWasm[dev ? "dev" : profile],
  ]);
}

// Targets built from the same profile embed the same wasm: optimize it
// once per profile and share it.
const wasmFiles = Object.keys(targets).map((dir) => path.join(out, dir, `${name}_bg.wasm`));
if (optimize) {
  const wasmOpt = path.join(npmDir, "node_modules", ".bin", "wasm-opt");
  if (!fs.existsSync(wasmOpt)) {
    throw new Error(`${wasmOpt} is missing: run \`npm install\` in npm/ (scripts/setup.sh node)`);
  }
  const optimized = {};
  for (const [dir, { profile }] of Object.entries(targets)) {
    const file = path.join(out, dir, `${name}_bg.wasm`);
    if (optimized[profile]) {
      fs.copyFileSync(optimized[profile], file);
      continue;
    }
    log(`wasm-opt -Oz (npm binaryen) on the ${profile} build`);
    run(wasmOpt, [
      // Binaryen inlines any function with one caller, whatever its size,
      // which rebuilt the 70 KB functions that #[inline(never)] took apart
      // in the engine; V8 compiles each function on its first call, so
      // those were most of the cold start (see the engine's crate docs).
      "-Oz", "--one-caller-inline-max-function-size", "200", "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext",
      "--enable-mutable-globals", "--enable-reference-types", "--enable-multivalue",
      file, "-o", file,
    ]);
    optimized[profile] = file;
  }
}

for (const [dir, { target }] of Object.entries(targets)) {
  const targetDir = path.join(out, dir);
  moveSnippets(targetDir, dir === "node");
  installFailsafe(targetDir, target);
  const dts = path.join(targetDir, `${name}.d.ts`);
  fs.appendFileSync(dts, `\n${declarations}`);
}

log("entries, portcullis/mcp, the CLI and package.json");
copyTree(path.join(npmDir, "package"), out);
fs.copyFileSync(path.join(out, "node", `${name}.d.ts`), path.join(out, "index.d.ts"));
fs.copyFileSync(path.join(out, "node", `${name}.d.ts`), path.join(out, "index.d.cts"));
compileTypeScript();
const manifest = JSON.parse(fs.readFileSync(path.join(out, "package.json"), "utf8"));
manifest.version = crate.version;
fs.writeFileSync(path.join(out, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
fs.copyFileSync(path.join(npmDir, "README.md"), path.join(out, "README.md"));
fs.chmodSync(path.join(out, "cli", "portcullis.js"), 0o755);

const kib = (file) => `${(fs.statSync(file).size / 1024).toFixed(0)} KiB`;
log(`built ${path.relative(root, out)} (wasm: node ${kib(wasmFiles[0])}, web ${kib(wasmFiles[1])})`);

// portcullis/mcp and the CLI are TypeScript: tsc emits their JS and .d.ts,
// resolving `portcullis` to the declarations just built.
function compileTypeScript() {
  log("tsc: portcullis/mcp and the CLI");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portcullis-tsc-"));
  const config = path.join(dir, "tsconfig.json");
  fs.writeFileSync(
    config,
    JSON.stringify({
      extends: path.join(npmDir, "ts", "tsconfig.json"),
      compilerOptions: {
        outDir: out,
        rootDir: path.join(npmDir, "ts"),
        typeRoots: [path.join(npmDir, "node_modules", "@types")],
        paths: { portcullis: [path.join(out, "index.d.ts")] },
      },
    }),
  );
  try {
    run(process.execPath, [path.join(npmDir, "node_modules", "typescript", "bin", "tsc"), "-p", config]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// wasm-bindgen copies the modules the Rust side imports (js/errors.js,
// js/verdict.js) to snippets/<crate>-<hash>/js/; give them fixed names next
// to the glue, so the entries can re-export the very classes the glue
// throws. For the nodejs target (CommonJS) they are rewritten as CommonJS.
function moveSnippets(dir, commonjs) {
  const snippets = path.join(dir, "snippets");
  const [crateDir] = fs.readdirSync(snippets);
  const files = fs.readdirSync(path.join(snippets, crateDir, "js"));
  for (const file of files) {
    let source = fs.readFileSync(path.join(snippets, crateDir, "js", file), "utf8");
    if (commonjs) {
      const names = [...source.matchAll(/^export (?:class|function) (\w+)/gm)].map((m) => m[1]);
      source = source.replace(/^export (class|function) /gm, "$1 ");
      source += `\nmodule.exports = { ${names.join(", ")} };\n`;
      if (/^(import|export) /m.test(source)) throw new Error(`${file}: an import or export was left in the CommonJS copy`);
    }
    fs.writeFileSync(path.join(dir, file), source);
  }
  fs.rmSync(snippets, { recursive: true });
  for (const glueFile of fs.readdirSync(dir).filter((f) => f.endsWith(".js"))) {
    const glue = path.join(dir, glueFile);
    const text = fs.readFileSync(glue, "utf8");
    let fixed = text;
    for (const file of files) fixed = fixed.replaceAll(`./snippets/${crateDir}/js/${file}`, `./${file}`);
    if (fixed !== text) fs.writeFileSync(glue, fixed);
  }
}

// Copies js/failsafe.js next to the glue (as CommonJS for Node) and gives
// the nodejs and web glue a `__portcullis_reinstantiate()`: a fresh instance
// of the same compiled module, set up as the glue's own init does (the
// cached memory views dropped, the start function run). wasm-bindgen is
// pinned, but the glue's private names are checked so that a new version
// fails the build instead of the recovery.
function installFailsafe(dir, target) {
  let failsafe = fs.readFileSync(path.join(npmDir, "js", "failsafe.js"), "utf8");
  if (target === "nodejs") {
    failsafe = failsafe
      .replace(/^import \{([^}]*)\} from "\.\/errors\.js";$/m, 'const {$1} = require("./errors.js");')
      .replace(/^export function failsafe/m, "function failsafe");
    failsafe += "\nmodule.exports = { failsafe };\n";
    if (/^(import|export) /m.test(failsafe)) throw new Error("failsafe.js: an import or export was left in the CommonJS copy");
  }
  fs.writeFileSync(path.join(dir, "failsafe.js"), failsafe);
  if (target === "bundler") return; // the bundler instantiates that build; it cannot be replaced
  const glue = path.join(dir, `${name}.js`);
  let source = fs.readFileSync(glue, "utf8");
  const needs = target === "nodejs"
    ? [/^const wasmModule = /m, /^let wasmInstance = /m, /^let wasm = /m, /^let cachedDataViewMemory0 = /m, /^let cachedUint8ArrayMemory0 = /m, /^function __wbg_get_imports\(/m]
    : [/^let wasmModule, wasmInstance, wasm;$/m, /^function __wbg_finalize_init\(instance, module\)/m, /^function __wbg_get_imports\(/m];
  for (const pattern of needs) {
    if (!pattern.test(source)) throw new Error(`${glue}: the wasm-bindgen glue changed (no ${pattern}); update installFailsafe`);
  }
  source += target === "nodejs"
    ? `
/** portcullis: a fresh instance of the same module after a trap (failsafe.js). */
exports.__portcullis_reinstantiate = function () {
    wasmInstance = new WebAssembly.Instance(wasmModule, __wbg_get_imports());
    wasm = wasmInstance.exports;
    cachedDataViewMemory0 = null;
    cachedUint8ArrayMemory0 = null;
    wasm.__wbindgen_start();
    return true;
};
`
    : `
/** portcullis: a fresh instance of the same module after a trap (failsafe.js). */
export function __portcullis_reinstantiate() {
    if (wasmModule === undefined) return false;
    __wbg_finalize_init(new WebAssembly.Instance(wasmModule, __wbg_get_imports()), wasmModule);
    return true;
}
`;
  fs.writeFileSync(glue, source);
}

function copyTree(from, to) {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) {
      fs.mkdirSync(target, { recursive: true });
      copyTree(source, target);
    } else {
      fs.copyFileSync(source, target);
    }
  }
}
