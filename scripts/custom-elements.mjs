// Writes custom-elements.json (the Custom Elements Manifest, schema 2.1) for the npm
// package from element/js/contract.json, the one list of the element's public surface.
// Usage: node scripts/custom-elements.mjs <out-file>
import { readFileSync, writeFileSync } from "node:fs";

const contract = JSON.parse(readFileSync(new URL("../element/js/contract.json", import.meta.url), "utf8"));
const version = JSON.parse(readFileSync(new URL("../element/js/package.json", import.meta.url), "utf8")).version;

const typed = (type) => (type ? { type: { text: type } } : {});
const attributes = [
  ...contract.attributes,
  ...contract.textAttributes.keys.map((key) => ({
    name: "text-" + key,
    type: "string",
    description: contract.textAttributes.description.replace("<key>", key),
  })),
].map(({ name, type, description, default: value }) => ({
  name,
  description,
  ...typed(type),
  ...(value === undefined ? {} : { default: value }),
}));

const declaration = {
  kind: "class",
  customElement: true,
  tagName: contract.tagName,
  name: contract.className,
  description: contract.description,
  superclass: { name: "HTMLElement" },
  attributes,
  events: contract.events.map(({ name, type, description }) => ({ name, description, ...typed(type) })),
  cssParts: contract.parts,
  slots: contract.slots,
  cssProperties: contract.cssProperties,
  members: contract.members.map(({ kind, name, type, readonly, description }) => ({
    kind,
    name,
    description,
    ...typed(type),
    ...(readonly ? { readonly: true } : {}),
  })),
};

const manifest = {
  schemaVersion: "2.1.0",
  readme: "README.md",
  modules: [
    {
      kind: "javascript-module",
      path: "staff-bar.js",
      declarations: [declaration],
      exports: [{ kind: "custom-element-definition", name: contract.tagName, declaration: { name: contract.className, module: "staff-bar.js" } }],
    },
  ],
};
const out = process.argv[2];
if (!out) throw new Error("usage: node scripts/custom-elements.mjs <out-file>");
writeFileSync(out, JSON.stringify(manifest, null, 2) + "\n");
console.log(`custom-elements.json: ${attributes.length} attributes, ${declaration.events.length} events, ${contract.parts.length} parts (staff-bar ${version})`);
