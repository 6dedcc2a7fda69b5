export type SignerErrorCode =
  | "invalid-url"
  | "invalid-credentials"
  | "invalid-header"
  | "invalid-body"
  | "invalid-option";

/**
 * Thrown (as a rejected promise from `sign`/`verify`) when the input cannot be signed at all. Messages name
 * the offending field, never a secret key or security token.
 */
export class SignerError extends Error {
  override readonly name = "SignerError";
  readonly code: SignerErrorCode;

  constructor(code: SignerErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
