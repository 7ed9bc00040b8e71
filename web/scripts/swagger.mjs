// Copies Swagger UI (swagger-ui-dist, Apache-2.0) into the built assets, so that the API
// explorer at /api/docs works on a network with no internet: FastAPI's default page loads
// these files from a CDN. minewatch.api.docs_ui serves this folder; runs after `vite build`,
// which empties the output folder. The licence, NOTICE and the third-party licence list of
// the bundle travel with the copied files.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";

const require = createRequire(import.meta.url);
const dist = dirname(require.resolve("swagger-ui-dist/package.json"));
const out = resolve(import.meta.dirname, "../../src/minewatch/api/static/swagger");
mkdirSync(out, { recursive: true });

for (const name of [
  "swagger-ui-bundle.js",
  "swagger-ui-bundle.js.LICENSE.txt",
  "favicon-32x32.png",
  "LICENSE",
  "NOTICE",
]) {
  copyFileSync(join(dist, name), join(out, name));
}
// The source map is not shipped, so its comment goes too: otherwise every browser with
// developer tools open asks the server for a file it does not have.
const css = readFileSync(join(dist, "swagger-ui.css"), "utf8");
writeFileSync(join(out, "swagger-ui.css"), css.replace(/\s*\/\*# sourceMappingURL=[^*]*\*\/\s*$/, "\n"));

const { version } = JSON.parse(readFileSync(join(dist, "package.json"), "utf8"));
writeFileSync(join(out, "VERSION"), `swagger-ui-dist ${version}\n`);
console.log(`swagger-ui-dist ${version} copied to ${out}`);
