// Build dist/network-view.js: src/network-view.js with sigma and graphology as one minified IIFE
// that graphkit/reports/network.py inlines into report.html.  The banner carries, for every npm
// package in the bundle (read from the bundle's own inputs, so it cannot drift from
// package-lock.json), its name, version and LICENSE text, which the MIT licence asks copies to keep.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import * as esbuild from "esbuild";

const result = await esbuild.build({
  entryPoints: ["src/network-view.js"],
  bundle: true,
  format: "iife",
  minify: true,
  target: "es2020",
  legalComments: "none",
  metafile: true,
  write: false,
  logLevel: "error",
});

const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = input.match(/^node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (match && !packages.has(match[1])) {
    const folder = join("node_modules", match[1]);
    const meta = JSON.parse(readFileSync(join(folder, "package.json"), "utf8"));
    const licenceFile = readdirSync(folder).find((f) => /^licen[cs]e/i.test(f));
    const text = licenceFile ? readFileSync(join(folder, licenceFile), "utf8").trim() : meta.license;
    packages.set(match[1], `${meta.name} ${meta.version}\n\n${text.replaceAll("*/", "* /")}`);
  }
}
const names = [...packages.keys()].sort();
const banner =
  "/*! graphkit network view, built by js/build.mjs from src/network-view.js. It bundles " +
  names.map((n) => packages.get(n).split("\n")[0]).join(", ") + ", whose licences follow.\n\n" +
  names.map((n) => packages.get(n)).join("\n\n----\n\n") + "\n*/\n";
const out = "dist/network-view.js";
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, banner + result.outputFiles[0].text);
