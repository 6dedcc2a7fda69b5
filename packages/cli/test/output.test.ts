// Redaction in process: the secrets resolveConnection finds are the ones Output scrubs (main.ts joins them).
import { describe, expect, test } from "vitest";
import { resolveConnection } from "../src/config.js";
import { Output } from "../src/output.js";

const AK = "CANARYAKQ7X2M9";
const SK = "canary-sk-8f3a-CANARYAKQ7X2M9-tail";
const TOKEN = "canary-security-token-51c0";

function capture(): { text: () => string; stream: { write: (t: string) => void } } {
  let text = "";
  const write = (t: string) => {
    text += t;
  };
  return { text: () => text, stream: { write } };
}

const noStdin = () => {
  throw new Error("stdin must not be read without --sk-stdin");
};

describe("Output redaction", () => {
  test("the AK, the SK and the security token from the environment are all scrubbed", async () => {
    const connection = await resolveConnection(
      { endpoint: "http://127.0.0.1:1" },
      {
        HUAWEICLOUD_SDK_AK: ` ${AK} `,
        HUAWEICLOUD_SDK_SK: SK,
        HUAWEICLOUD_SDK_SECURITY_TOKEN: TOKEN,
        HUAWEICLOUD_SDK_PROJECT_ID: "0524e839a54847039e9b2b46e8aa788a",
      },
      noStdin,
    );
    const out = capture();
    const output = new Output(out.stream, false);
    output.addSecrets(connection.secrets);
    output.result({}, `ak=${AK} sk=${SK} token=${TOKEN}`);
    expect(out.text()).toBe("ak=[REDACTED] sk=[REDACTED] token=[REDACTED]\n");
  });

  test("a secret that contains another is removed whole, whatever the order they were added in", () => {
    const out = capture();
    const output = new Output(out.stream, true);
    output.addSecrets([AK]);
    output.addSecrets([SK]);
    expect(output.redact(`${SK} ${AK}`)).toBe("[REDACTED] [REDACTED]");
  });
});
