// Both source entries, so every known-answer test runs against the node:crypto and the Web Crypto build.
import * as node from "../src/node.js";
import * as web from "../src/web.js";

export const builds = [
  ["node:crypto", node],
  ["Web Crypto", web],
] as const;
