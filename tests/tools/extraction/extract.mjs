// Text of a PDF as Mozilla pdf.js gives it: each page's getTextContent() items in pdf.js
// order, each item's `str` as is, a newline after an item with hasEOL, a form feed after
// each page. Defaults as in the viewer (pdf.js's own Unicode normalisation on).
//
// usage: node extract.mjs MODULES_DIR FILE.pdf
//   MODULES_DIR: the folder whose node_modules holds pdfjs-dist (install-pdfjs.sh)
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [modules, file] = process.argv.slice(2);
if (!modules || !file) {
  process.stderr.write("usage: node extract.mjs MODULES_DIR FILE.pdf\n");
  process.exit(2);
}
const dist = path.join(path.resolve(modules), "node_modules", "pdfjs-dist");
const { getDocument, VerbosityLevel } = await import(
  pathToFileURL(path.join(dist, "legacy", "build", "pdf.mjs")).href
);
let data;
try {
  data = new Uint8Array(await readFile(file));
} catch (e) {
  process.stderr.write(`extract.mjs: ${file}: ${e.message}\n`);
  process.exit(1);
}
const doc = await getDocument({
  data,
  cMapUrl: pathToFileURL(path.join(dist, "cmaps") + path.sep).href,
  cMapPacked: true,
  standardFontDataUrl: pathToFileURL(path.join(dist, "standard_fonts") + path.sep).href,
  verbosity: VerbosityLevel.ERRORS,
  isEvalSupported: false,
}).promise.catch((e) => {
  process.stderr.write(`extract.mjs: ${file}: ${e.message}\n`);
  process.exit(1);
});
const out = [];
for (let n = 1; n <= doc.numPages; n++) {
  const page = await doc.getPage(n);
  const tc = await page.getTextContent();
  for (const item of tc.items) {
    if (item.str === undefined) continue;
    out.push(item.str);
    if (item.hasEOL) out.push("\n");
  }
  out.push("\f");
  page.cleanup();
}
process.stdout.write(out.join(""));
await doc.destroy();
