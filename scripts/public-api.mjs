// The public API of a crate as its rustdoc pages list it, one line per item and per
// inherent method, field and variant: compared with docs/api/<crate>.txt, so that an
// item removed or renamed (a breaking change) or added (a new feature, for the
// CHANGELOG) fails `make test` until the snapshot is updated on purpose
// (UPDATE_API=1). Signatures are not compared; trait impls are left out, because
// blanket impls of the dependencies' traits come and go with their versions.
// Usage: node scripts/public-api.mjs <crate_name> (after `cargo doc`).
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const crate = process.argv[2];
const docs = new URL(`../target/doc/${crate}/`, import.meta.url);
const snapshot = new URL(`../docs/api/${crate}.txt`, import.meta.url);
const all = readFileSync(new URL("all.html", docs), "utf8");
const lines = [];
for (const [, href] of all.matchAll(/<li><a href="([^"]+)">[^<]*<\/a><\/li>/g)) {
  const [, folder, kind, name] = href.match(/^(?:(.*)\/)?([a-z]+)\.([A-Za-z0-9_]+)\.html$/) ?? [];
  if (!kind) continue;
  const path = [crate, ...(folder ? folder.split("/") : []), name].join("::");
  lines.push(`${kind} ${path}`);
  if (!["struct", "enum", "trait"].includes(kind)) continue;
  const page = readFileSync(new URL(href, docs), "utf8");
  // Inherent items only: the page's part before its trait implementations.
  const inherent = page.split(/id="(?:synthetic-|blanket-|)?trait-implementations|id="synthetic-implementations|id="blanket-implementations/)[0];
  const members = new Set();
  for (const [, member, memberName] of inherent.matchAll(/id="(method|tymethod|variant|structfield|associatedconstant)\.([A-Za-z0-9_]+)"/g)) {
    members.add(`${member} ${path}::${memberName}`);
  }
  lines.push(...members);
}
const text = lines.sort().join("\n") + "\n";
if (process.env.UPDATE_API || !existsSync(snapshot)) {
  writeFileSync(snapshot, text);
  console.log(`public API of ${crate}: ${lines.length} lines written to docs/api/${crate}.txt`);
} else {
  const before = new Set(readFileSync(snapshot, "utf8").split("\n").filter(Boolean));
  const now = new Set(lines);
  const removed = [...before].filter((line) => !now.has(line));
  const added = [...now].filter((line) => !before.has(line));
  if (removed.length || added.length) {
    for (const line of removed) console.error(`- ${line}`);
    for (const line of added) console.error(`+ ${line}`);
    console.error(`FAIL: the public API of ${crate} changed (above); if intended, note it in CHANGELOG.md and run with UPDATE_API=1`);
    process.exit(1);
  }
  console.log(`public API of ${crate}: unchanged (${lines.length} lines)`);
}
