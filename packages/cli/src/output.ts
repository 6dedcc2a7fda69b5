/** A place to write text: process.stdout / process.stderr, or a test double. */
export interface OutStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const REDACTED = "[REDACTED]";

/** Results on stdout (JSON or text), with every secret in use scrubbed from whatever is written. */
export class Output {
  readonly json: boolean;
  readonly #stdout: OutStream;
  #secrets: string[] = [];
  constructor(stdout: OutStream, json: boolean) {
    this.#stdout = stdout;
    this.json = json;
  }

  /** Secret values (AK, SK, tokens) that must never appear in output. */
  addSecrets(secrets: readonly string[]): void {
    this.#secrets.push(...secrets.filter((s) => s.length >= 4));
    // Longest first: a secret that contains another (an SK holding the AK) must go whole, not in parts.
    this.#secrets.sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.#secrets) out = out.split(secret).join(REDACTED);
    return out;
  }

  /** The command's one result: `data` as a JSON document with --json, `human` text otherwise. */
  result(data: unknown, human: string): void {
    const text = this.json
      ? `${JSON.stringify(data, null, 2)}\n`
      : human.endsWith("\n")
        ? human
        : `${human}\n`;
    this.#stdout.write(this.redact(text));
  }
}
