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

/** A zip of the given entries. */
export async function makeZip(entries: Record<string, string | Buffer>): Promise<Buffer> {
  const zip = new ZipFile();
  for (const [name, content] of Object.entries(entries)) zip.addBuffer(Buffer.from(content), name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
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

/**
 * A minimal APK: a zip whose `AndroidManifest.xml` is Android's binary XML (what `aapt` writes)
 * holding one `<manifest package versionName versionCode>` element. Written here because no
 * Android build tools run in this environment.
 */
export async function makeApk(info: {
  packageName: string;
  versionName: string;
  versionCode: number;
}): Promise<Buffer> {
  // Index 0 stays empty: the parser reads a reference of 0 as "none".
  const strings = [
    '',
    'manifest',
    'package',
    'versionName',
    'versionCode',
    info.packageName,
    info.versionName,
  ];
  const index = (text: string) => strings.indexOf(text);
  const u16 = (n: number) => Buffer.from(new Uint16Array([n]).buffer);
  const u32 = (n: number) => Buffer.from(new Uint32Array([n >>> 0]).buffer);
  const i32 = (n: number) => Buffer.from(new Int32Array([n]).buffer);
  const chunk = (type: number, headerSize: number, body: Buffer) =>
    Buffer.concat([u16(type), u16(headerSize), u32(8 + body.length), body]);

  const data = Buffer.concat(
    strings.map((text) => {
      const bytes = Buffer.from(text, 'utf8');
      return Buffer.concat([Buffer.from([text.length, bytes.length]), bytes, Buffer.from([0])]);
    }),
  );
  const offsets: number[] = [];
  let offset = 0;
  for (const text of strings) {
    offsets.push(offset);
    offset += Buffer.byteLength(text) + 3;
  }
  const padded = Buffer.concat([data, Buffer.alloc((4 - (data.length % 4)) % 4)]);
  const UTF8 = 1 << 8;
  const pool = chunk(
    0x0001,
    28,
    Buffer.concat([
      u32(strings.length),
      u32(0),
      u32(UTF8),
      u32(28 + 4 * strings.length),
      u32(0),
      ...offsets.map(u32),
      padded,
    ]),
  );
  const TYPE_STRING = 0x03;
  const TYPE_INT_DEC = 0x10;
  const attribute = (name: string, type: number, value: number, raw: number) =>
    Buffer.concat([i32(-1), i32(index(name)), i32(raw), u16(8), Buffer.from([0, type]), u32(value)]);
  const attributes = [
    attribute('package', TYPE_STRING, index(info.packageName), index(info.packageName)),
    attribute('versionName', TYPE_STRING, index(info.versionName), index(info.versionName)),
    attribute('versionCode', TYPE_INT_DEC, info.versionCode, -1),
  ];
  const start = chunk(
    0x0102,
    16,
    Buffer.concat([
      u32(1),
      u32(0xffffffff),
      i32(-1),
      i32(index('manifest')),
      u16(20),
      u16(20),
      u16(attributes.length),
      u16(0),
      u16(0),
      u16(0),
      ...attributes,
    ]),
  );
  const end = chunk(0x0103, 16, Buffer.concat([u32(1), u32(0xffffffff), i32(-1), i32(index('manifest'))]));
  const manifest = chunk(0x0003, 8, Buffer.concat([pool, start, end]));

  const zip = new ZipFile();
  zip.addBuffer(manifest, 'AndroidManifest.xml');
  zip.addBuffer(Buffer.from('dex'), 'classes.dex');
  zip.end();
  const chunks: Buffer[] = [];
  for await (const part of zip.outputStream) chunks.push(part as Buffer);
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
