import { createHash } from 'node:crypto';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ZipFile } from 'yazl';

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export const tempDir = (prefix: string) => mkdtemp(path.join(tmpdir(), `otp-access-${prefix}-`));

/** Every file under `dir`, relative paths (hidden incoming files included). */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** A minimal IPA: a zip holding `Payload/<Name>.app/Info.plist` as an XML plist. */
export async function makeIpa(info: { bundleId: string; version: string; build: string }): Promise<Buffer> {
  const plist = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
<key>CFBundleIdentifier</key><string>${info.bundleId}</string>
<key>CFBundleShortVersionString</key><string>${info.version}</string>
<key>CFBundleVersion</key><string>${info.build}</string>
<key>CFBundleName</key><string>Demo</string>
</dict></plist>`;
  const zip = new ZipFile();
  zip.addBuffer(Buffer.from(plist), 'Payload/Demo.app/Info.plist');
  zip.addBuffer(Buffer.from('binary'), 'Payload/Demo.app/Demo');
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A multipart request the way `curl -F file=@name` sends one. */
export function multipartRequest(
  url: string,
  file: { name: string; bytes: Uint8Array; type?: string },
  options: { headers?: Record<string, string>; fields?: Record<string, string> } = {},
): Request {
  const form = new FormData();
  for (const [name, value] of Object.entries(options.fields ?? {})) form.set(name, value);
  form.set(
    'file',
    new Blob([new Uint8Array(file.bytes)], { type: file.type ?? 'application/octet-stream' }),
    file.name,
  );
  return new Request(url, { method: 'POST', body: form, headers: options.headers ?? {} });
}
