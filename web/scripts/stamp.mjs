// Writes build-stamp.json beside the built assets: a SHA-256 over the front-end sources
// (every file under web/ but node_modules, in sorted path order: path, NUL, bytes, NUL).
// tests/api/test_web_assets.py computes the same hash and fails when the committed build
// is older than the sources. Keep the two in step.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";

const root = resolve(import.meta.dirname, "..");
const out = resolve(root, "../src/minewatch/api/static/build-stamp.json");
const skip = new Set(["node_modules", "dist", ".vite"]);

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    if (skip.has(name)) return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const paths = files(root)
  .map((p) => relative(root, p).split(sep).join("/"))
  .sort();
const hash = createHash("sha256");
for (const p of paths) {
  hash.update(p + "\0");
  hash.update(readFileSync(join(root, p)));
  hash.update("\0");
}
writeFileSync(out, JSON.stringify({ sources_sha256: hash.digest("hex"), files: paths.length }, null, 2) + "\n");
console.log(`build stamp: ${paths.length} source files`);
