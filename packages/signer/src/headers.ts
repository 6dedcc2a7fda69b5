import type { HeadersInput } from "./types.js";

/** Lower-cased header names and their trimmed values, in parallel; each name once. */
export interface HeaderList {
  names: string[];
  values: string[];
}

// RFC 9110 token characters; upper case is folded before the test.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;

export function isHeaderName(lowerName: string): boolean {
  return TOKEN.test(lowerName);
}

const EDGE_WHITESPACE = /^[ \t\r\n]+|[ \t\r\n]+$/g;

/** HTTP whitespace is stripped from both ends, as `fetch` and `node:http` do before a value goes on the wire. */
function trimValue(value: string): string {
  const n = value.length;
  if (n === 0) return value;
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(n - 1);
  return first > 0x20 && last > 0x20 ? value : value.replace(EDGE_WHITESPACE, "");
}

export function getHeader(list: HeaderList, name: string): string | undefined {
  const k = list.names.indexOf(name);
  return k < 0 ? undefined : list.values[k];
}

/** Sets (or replaces) a header; `name` must already be lower case. */
export function setHeader(list: HeaderList, name: string, value: string): void {
  const k = list.names.indexOf(name);
  if (k < 0) {
    list.names.push(name);
    list.values.push(value);
  } else {
    list.values[k] = value;
  }
}

export function deleteHeader(list: HeaderList, name: string): void {
  const k = list.names.indexOf(name);
  if (k >= 0) {
    list.names.splice(k, 1);
    list.values.splice(k, 1);
  }
}

function add(list: HeaderList, name: string, value: string): void {
  const key = name.toLowerCase();
  const v = trimValue(value);
  const k = list.names.indexOf(key);
  if (k < 0) {
    list.names.push(key);
    list.values.push(v);
  } else {
    // Repeated headers travel joined, as `fetch` joins them.
    list.values[k] = `${list.values[k]}, ${v}`;
  }
}

/** Reads any supported header input; repeated names are joined with `", "`. */
export function collectHeaders(headers: HeadersInput | undefined): HeaderList {
  const list: HeaderList = { names: [], values: [] };
  if (headers == null) return list;
  if (typeof (headers as Iterable<unknown>)[Symbol.iterator] === "function") {
    for (const [name, value] of headers as Iterable<readonly [string, string]>)
      add(list, name, String(value));
    return list;
  }
  const record = headers as Record<string, string | readonly string[] | undefined>;
  for (const name in record) {
    if (!Object.hasOwn(record, name)) continue;
    const value = record[name];
    if (value === undefined) continue;
    add(
      list,
      name,
      typeof value === "string" ? value : Array.isArray(value) ? value.join(", ") : String(value),
    );
  }
  return list;
}
