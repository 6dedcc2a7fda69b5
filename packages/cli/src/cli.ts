// The `dcs-redislog` executable: wires the process (argv, env, streams, signals) to main().
import { readFileSync } from "node:fs";
import { main } from "./main.js";

function version(): string {
  try {
    return (
      JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
    ).version;
  } catch {
    return "unknown";
  }
}

const controller = new AbortController();
let signals = 0;
function onSignal(name: "SIGINT" | "SIGTERM") {
  signals++;
  // A second Ctrl-C means "now": skip the clean-up that the first one started.
  if (signals > 1) {
    process.stderr.write("\x1b[?25h");
    process.exit(name === "SIGTERM" ? 143 : 130);
  }
  controller.abort(name);
}
process.on("SIGINT", () => onSignal("SIGINT"));
process.on("SIGTERM", () => onSignal("SIGTERM"));
// `dcs-redislog list | head` closes stdout early: that is not an error worth a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

const code = await main({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: () => process.stdin,
  cwd: process.cwd(),
  signal: controller.signal,
  version: version(),
});
process.exitCode = code;
// Idle keep-alive sockets must not hold the exit back.
setTimeout(() => process.exit(code), 2000).unref();
