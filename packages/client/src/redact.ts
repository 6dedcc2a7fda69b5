// Everything that can reach a message, a log line or a serialised object goes through here first.

const REDACTED = "[REDACTED]";

// Query parameters that make a pre-signed URL a credential (OBS/S3/OSS shapes and bearer tokens), and the
// key id inside an Authorization value or a gateway message (`Access=AK`, `ak:AK`).
const SECRET_PARAM =
  /((?:AWSAccessKeyId|Signature|Expires|X-Amz-[\w-]+|X-Obs-[\w-]+|OSSAccessKeyId|token|access_token|security_token)=|Access=|\bak[:=]\s*)[^&\s"'<>,]+/gi;

/** Replaces every known secret (AK, SK, tokens) and every pre-signed query value in `text`. */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  // Very short values would redact ordinary words; real keys and tokens are long.
  for (const secret of secrets) if (secret.length > 5) out = out.split(secret).join(REDACTED);
  return out.replace(SECRET_PARAM, `$1${REDACTED}`);
}

/** A URL without its query: what may be shown of a pre-signed link. */
export function redactUrl(url: string | URL): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}${u.search && `?${REDACTED}`}`;
  } catch {
    return REDACTED;
  }
}
