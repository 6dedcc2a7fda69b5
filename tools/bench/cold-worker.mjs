// One cold load in a fresh process, for the cold-start row. This file is itself loaded from disk, as an
// application's own module is, so the module loader has read a file before the timed load, and the timed
// load is the library's own cost: `import <name>` for ESM, `require <name>` for CommonJS.
// Prints one JSON line: {"ms"}.
import { createRequire } from "node:module";

const [how, name] = process.argv.slice(2);
const started = performance.now();
if (how === "import") await import(name);
else createRequire(import.meta.url)(name);
console.log(JSON.stringify({ ms: performance.now() - started }));
