// Builds the React 19 peer (bench/react/bar.jsx) into bench/dist-react/bar.js with
// esbuild: one minified ES module holding react, react-dom and the component, in
// production mode, the way a site would ship it. Prints its size and gzip -9 size.
//
//   node bench/build-react.mjs
import { build } from "esbuild";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const outfile = here("./dist-react/bar.js");

await build({
  entryPoints: [here("./react/bar.jsx")],
  outfile,
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  jsx: "automatic",
  // The stylesheet is the one staff-bar embeds (style/staff-bar.css), as a string.
  loader: { ".css": "text" },
  define: { "process.env.NODE_ENV": '"production"' },
  legalComments: "none",
  logLevel: "warning",
});

const bytes = await readFile(outfile);
const gzip = gzipSync(bytes, { level: 9 }).length;
console.log(`bench/dist-react/bar.js  ${bytes.length} bytes  ${gzip} gzip`);
