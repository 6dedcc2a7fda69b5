// Code blocks of the guide, pulled out so that the tests can type-check and parse them like the samples.
import { readGuide } from "../scripts/guide.mjs";

export interface Snippet {
  page: string;
  index: number;
  lang: string;
  flags: string[];
  code: string;
}

/** Every fenced code block of the guide, in order. */
export async function guideSnippets(): Promise<Snippet[]> {
  const snippets: Snippet[] = [];
  for (const page of await readGuide()) {
    const fence = /^```([^\n]*)\n([\s\S]*?)^```$/gm;
    let index = 0;
    for (const match of page.markdown.matchAll(fence)) {
      const [lang = "", ...flags] = (match[1] ?? "").trim().split(/\s+/);
      snippets.push({ page: page.name, index: index++, lang, flags, code: match[2] ?? "" });
    }
  }
  return snippets;
}

/**
 * The `dcs-redislog` invocations of a shell script: command name and `--flags`, continuation lines joined.
 * Placeholders such as `<log id>` and `$(…)` around the call are fine.
 */
export function cliInvocations(
  script: string,
): { command: string | undefined; flags: string[]; line: string }[] {
  const lines = script.replace(/\\\n\s*/g, " ").split("\n");
  const calls = [];
  for (const raw of lines) {
    const line = raw.replace(/(^|\s)#.*$/, "");
    for (const match of line.matchAll(/(?<![\w/@-])dcs-redislog(?![\w-])((?:\s+[^\s|;&)"]+)*)/g)) {
      const words = (match[1] ?? "").trim().split(/\s+/).filter(Boolean);
      const command = words[0]?.startsWith("-") ? undefined : words[0];
      const flags = words.filter((w) => w.startsWith("--")).map((w) => w.split("=")[0] ?? w);
      if (command === undefined && flags.length === 0) continue;
      calls.push({ command, flags, line: line.trim() });
    }
  }
  return calls;
}
