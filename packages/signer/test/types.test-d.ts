import { assertType, describe, expectTypeOf, it } from "vitest";
import type { SignResult, VerifyFailureReason, VerifyResult } from "../src/node.js";
import * as node from "../src/node.js";
import * as web from "../src/web.js";

describe("public types", () => {
  it("gives both builds the same API", () => {
    expectTypeOf(web.sign).toEqualTypeOf(node.sign);
    expectTypeOf(web.verify).toEqualTypeOf(node.verify);
    expectTypeOf(node.sign).returns.resolves.toEqualTypeOf<SignResult>();
  });

  it("narrows VerifyResult on ok", () => {
    const result = {} as VerifyResult;
    if (result.ok) {
      expectTypeOf(result.date).toEqualTypeOf<Date>();
      expectTypeOf(result.securityToken).toEqualTypeOf<string | undefined>();
    } else {
      expectTypeOf(result.reason).toEqualTypeOf<VerifyFailureReason>();
      // @ts-expect-error a refused request has no date
      assertType(result.date);
    }
  });

  it("accepts the header shapes of fetch and node:http", () => {
    const credentials = { ak: "AK", sk: "SK" };
    assertType(node.sign({ method: "GET", url: "https://h/", headers: new Headers() }, credentials));
    assertType(node.sign({ method: "GET", url: new URL("https://h/"), headers: [["a", "b"]] }, credentials));
    assertType(
      node.verify(
        { method: "GET", url: "https://h/", headers: { "set-cookie": ["a", "b"], x: undefined } },
        () => "SK",
      ),
    );
    // @ts-expect-error the body must be bytes or text
    assertType(node.sign({ method: "GET", url: "https://h/", body: 1 }, credentials));
  });
});
