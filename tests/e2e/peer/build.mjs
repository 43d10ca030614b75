// Bundles tests/e2e/peer/entry.jsx with esbuild into target/peer/peer.js: React 19 and
// authkit-nextjs's component sources, with its provider and server actions replaced by
// the stubs next to this file. The package does not export its sources, so they are
// taken from node_modules by path.
import * as esbuild from "esbuild";
import { fileURLToPath } from "node:url";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const packageRoot = here("../../../node_modules/@workos-inc/authkit-nextjs/");

/** Redirects the component's imports of its provider and actions to the stubs. */
const stubs = {
  name: "authkit-stubs",
  setup(build) {
    build.onResolve({ filter: /authkit-provider\.js$|actions\.js$/ }, (args) => {
      if (!args.importer.startsWith(packageRoot)) return undefined;
      const stub = args.path.endsWith("actions.js") ? "./actions-stub.js" : "./auth-stub.js";
      return { path: here(stub) };
    });
    build.onResolve({ filter: /^@workos-inc\/authkit-nextjs\/src\// }, (args) => ({
      path: packageRoot + args.path.slice("@workos-inc/authkit-nextjs/".length),
    }));
  },
};

export async function buildPeer() {
  const outfile = here("../../../target/peer/peer.js");
  await esbuild.build({
    entryPoints: [here("./entry.jsx")],
    bundle: true,
    format: "esm",
    target: "es2022",
    jsx: "automatic",
    define: { "process.env.NODE_ENV": '"production"' },
    plugins: [stubs],
    outfile,
    logLevel: "warning",
  });
  return outfile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(await buildPeer());
}
