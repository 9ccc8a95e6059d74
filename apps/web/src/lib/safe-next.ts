const FALLBACK = '/console';
/** A stand-in origin: a path resolved against it must stay on it. */
const BASE = 'http://app.invalid';

/**
 * Where to go after signing in: only paths of this app, never another site. The path is judged
 * as the browser will read it: browsers drop tabs and newlines inside a URL and read `\` as `/`,
 * so `/\t/evil.example` or `/\evil.example` would become `//evil.example`, another site.
 * Anything with control characters or backslashes is refused outright; the rest is resolved as a
 * URL and must keep this app's origin.
 */
export function safeNextPath(value: string | null | undefined): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
  if (!value?.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(value)) return FALLBACK;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return FALLBACK;
  }
  if (url.origin !== BASE || url.pathname.startsWith('//')) return FALLBACK;
  return `${url.pathname}${url.search}${url.hash}`;
}
