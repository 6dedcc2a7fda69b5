import type { HeadersInput } from "./types.js";

/** `[name, value]` pairs: lower-cased names, each once, and trimmed values. */
export type HeaderList = [name: string, value: string][];

/** RFC 9110 token characters; upper case is folded before the test. */
export const isHeaderName = (lowerName: string): boolean => /^[!#$%&'*+\-.^_`|~0-9a-z]+$/.test(lowerName);

/** The pair of a header, when the list has it. */
export const findHeader = (list: HeaderList, name: string): [string, string] | undefined =>
  list.find((pair) => pair[0] === name);

/**
 * Reads any supported header input; repeated names are joined with `", "`, as `fetch` joins them on the wire.
 * HTTP whitespace is stripped from both ends of each value, as `fetch` and `node:http` do before sending.
 */
export function collectHeaders(headers: HeadersInput | undefined): HeaderList {
  const list: HeaderList = [];
  const add = (name: string, value: string | readonly string[] | undefined) => {
    if (value === undefined) return;
    const key = name.toLowerCase();
    let v = Array.isArray(value) ? value.join(", ") : String(value);
    if (v.charCodeAt(0) < 33 || v.charCodeAt(v.length - 1) < 33)
      v = v.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
    const pair = findHeader(list, key);
    if (pair) pair[1] += `, ${v}`;
    else list.push([key, v]);
  };
  if (headers && Symbol.iterator in headers) for (const [name, value] of headers) add(name, value);
  else {
    const record = headers as Record<string, string | readonly string[] | undefined> | undefined;
    for (const name in record) if (Object.hasOwn(record, name)) add(name, record[name]);
  }
  return list;
}
