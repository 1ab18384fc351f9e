// Bundles every file directly under src/ (one entry point each) into the host's static files.
// Usage: node build.mjs <output dir>   (the .NET build of src/Host calls this when sources change)
import { build } from "esbuild";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const outdir = process.argv[2] ?? "../src/Host/wwwroot/dist/";
const entryPoints = readdirSync("src", { withFileTypes: true })
  .filter((e) => e.isFile() && /\.(js|mjs|ts)$/.test(e.name))
  .map((e) => join("src", e.name));

await build({
  entryPoints,
  outdir,
  bundle: true,
  minify: true,
  sourcemap: false,
  format: "esm",
  target: ["es2022"],
  legalComments: "linked",
  logLevel: "warning",
});
