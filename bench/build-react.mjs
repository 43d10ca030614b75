// Builds the React 19 peer (bench/react/bar.jsx) into bench/dist-react/bar.js with
// esbuild: one minified ES module holding react, react-dom and the component, in
// production mode, the way a site would ship it. Prints its size and gzip -9 size.
//
//   node bench/build-react.mjs
import { build, transform } from "esbuild";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const outfile = here("./dist-react/bar.js");

/** The stylesheet minified, as staff-bar ships it (its build.rs minifies the same file),
 * so both sides carry the same bytes of CSS. */
const minifiedCss = {
  name: "minified-css",
  setup(build) {
    build.onLoad({ filter: /\.css$/ }, async (args) => {
      const { code } = await transform(await readFile(args.path, "utf8"), { loader: "css", minify: true });
      return { contents: code, loader: "text" };
    });
  },
};

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
  plugins: [minifiedCss],
  define: { "process.env.NODE_ENV": '"production"' },
  legalComments: "none",
  logLevel: "warning",
});

const bytes = await readFile(outfile);
const gzip = gzipSync(bytes, { level: 9 }).length;
console.log(`bench/dist-react/bar.js  ${bytes.length} bytes  ${gzip} gzip`);
