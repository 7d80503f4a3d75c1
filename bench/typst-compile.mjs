// Compiles one Typst file to PDF with the Typst compiler that
// @myriaddreamin/typst-ts-node-compiler bundles (installed by scripts/setup-bench.sh into
// bench/peers/), so that bench/run.sh can time it like a command-line tool.
//
// usage: node bench/typst-compile.mjs [--font-path DIR]... IN.typ OUT.pdf
import { createRequire } from "node:module";
import { writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(resolve(here, "peers", "package.json"));
const { NodeCompiler } = require("@myriaddreamin/typst-ts-node-compiler");

const args = process.argv.slice(2);
const fontPaths = [];
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--font-path") fontPaths.push(resolve(args[++i]));
  else files.push(args[i]);
}
if (files.length !== 2) {
  console.error("usage: node bench/typst-compile.mjs [--font-path DIR]... IN.typ OUT.pdf");
  process.exit(2);
}
const [input, output] = files.map((f) => resolve(f));
const compiler = NodeCompiler.create({
  workspace: dirname(input),
  fontArgs: fontPaths.length ? [{ fontPaths }] : [],
});
const result = compiler.compile({ mainFilePath: input });
const doc = result.result;
if (!doc || result.hasError()) {
  result.printDiagnostics();
  process.exit(1);
}
writeFileSync(output, compiler.pdf(doc));
