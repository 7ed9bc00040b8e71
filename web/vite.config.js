// Builds the multi-page web UI into the Python package, so that `pip install` plus
// `minewatch serve` serves it with no npm at run time. `npm run build` also writes
// build-stamp.json (see scripts/stamp.mjs), which a test compares with these sources.
import { resolve } from "node:path";
import { defineConfig } from "vite";

const pages = ["index", "login", "entry", "queue", "item", "dashboard", "residual", "qm", "landrelease"];

export default defineConfig({
  base: "/",
  build: {
    outDir: resolve(import.meta.dirname, "../src/minewatch/api/static"),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500, // maplibre-gl is one large ES module
    sourcemap: false,
    rollupOptions: {
      input: Object.fromEntries(pages.map((p) => [p, resolve(import.meta.dirname, `${p}.html`)])),
      // Libraries in chunks of their own, so that their file names (content hashes) only
      // change when the library does, not with every edit of our pages.
      output: {
        manualChunks: {
          maplibre: ["maplibre-gl"],
          "terra-draw": ["terra-draw", "terra-draw-maplibre-gl-adapter"],
        },
      },
    },
  },
});
