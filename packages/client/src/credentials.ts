import { ConfigError } from "./errors.js";

/** Access key and secret key; `securityToken` too for temporary credentials. */
export interface AkSkCredentials {
  ak: string;
  sk: string;
  securityToken?: string | undefined;
}

/** A project-scoped IAM token, sent as `X-Auth-Token`. */
export interface TokenCredentials {
  token: string;
}

export type StaticCredentials = AkSkCredentials | TokenCredentials;

/**
 * Called before every attempt, so rotating temporary keys are picked up by a long-lived client. Cache inside
 * it: this library does not.
 */
export type CredentialsProvider = () => StaticCredentials | Promise<StaticCredentials>;

export type Credentials = StaticCredentials | CredentialsProvider;

// Header values: non-empty, no line breaks (nothing can start another header), Latin-1 only (fetch cannot
// send anything else, and would report it as a failed connection).
const isValue = (v: unknown) => typeof v === "string" && /^[^\r\n\0\u0100-\uffff]+$/.test(v);

/**
 * Checks static credentials at once and hands them back as they are (no promise per attempt); wraps a
 * provider so that what it returns is checked on each call.
 */
export function credentialsResolver(
  credentials: Credentials,
  seen: (c: StaticCredentials) => void,
): () => StaticCredentials | Promise<StaticCredentials> {
  const accept = (c: Partial<AkSkCredentials & TokenCredentials>) => {
    if (
      !c ||
      !(c.ak === undefined
        ? isValue(c.token)
        : isValue(c.ak) && isValue(c.sk) && (!c.securityToken || isValue(c.securityToken)))
    ) {
      // Names the fields, never their values.
      throw new ConfigError(
        "credentials",
        "credentials must be { ak, sk, securityToken? } or { token } with non-empty one-line strings of Latin-1 characters, or a function returning one.",
      );
    }
    seen(c as StaticCredentials);
    return c as StaticCredentials;
  };
  if (typeof credentials !== "function") {
    const fixed = accept(credentials);
    return () => fixed;
  }
  return async () => {
    let value: StaticCredentials;
    try {
      value = await credentials();
    } catch (error) {
      // Its message may quote what it read (a key, a token): keep only the error's name and code.
      const { name, code } = (error ?? {}) as { name?: string; code?: string };
      throw new ConfigError(
        "credentials",
        `The credentials provider failed (${[name, code].filter((v) => /^\w{1,40}$/.test(`${v}`)).join(" ")}); nothing was sent. Fix the provider.`,
      );
    }
    return accept(value);
  };
}
