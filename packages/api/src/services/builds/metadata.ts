import { createRequire } from 'node:module';
import yauzl from 'yauzl';

const require = createRequire(import.meta.url);

interface PackageParser {
  parse(): Promise<Record<string, unknown>>;
}
type ParserClass = new (filePath: string) => PackageParser;

/**
 * app-info-parser's own classes: its front door picks a parser by file extension, and we pick by
 * what the archive holds. In Node it reads the archive through yauzl by random access and loads
 * only the entries it needs (manifest, resource table, plist, icon), never the whole file.
 */
const ApkParser = require('app-info-parser/src/apk') as ParserClass;
const IpaParser = require('app-info-parser/src/ipa') as ParserClass;

/** Each package's parser and what it calls the fields we keep (the icon is `icon` in both). */
const PACKAGE_FIELDS = {
  APK: { Parser: ApkParser, bundleId: 'package', version: 'versionName', buildNumber: 'versionCode' },
  IPA: {
    Parser: IpaParser,
    bundleId: 'CFBundleIdentifier',
    version: 'CFBundleShortVersionString',
    buildNumber: 'CFBundleVersion',
  },
} as const;

export interface BuildMetadata {
  kind: 'APK' | 'IPA' | 'FILE';
  bundleId: string | null;
  version: string | null;
  buildNumber: string | null;
  /** PNG bytes. */
  icon: Buffer | null;
  /** Why nothing was read; null when metadata was read. */
  note: string | null;
}

/** Entries the parser reads into memory are checked first: a package is not a zip bomb. */
const MAX_ENTRY_BYTES = 64 * 1024 * 1024;
const MAX_ICON_BYTES = 256 * 1024;

const APK_ENTRIES = /^(AndroidManifest\.xml|resources\.arsc)$/i;
const IPA_ENTRIES = /^Payload\/[^/]+\.app\/(Info\.plist|embedded\.mobileprovision)$/i;

const plainFile = (note: string): BuildMetadata => ({
  kind: 'FILE',
  bundleId: null,
  version: null,
  buildNumber: null,
  icon: null,
  note,
});

/** What kind of package the zip at `filePath` is, from its central directory alone. */
async function inspectZip(filePath: string): Promise<{ kind: 'APK' | 'IPA' | null; oversized: boolean }> {
  const zip = await yauzl.openPromise(filePath, { autoClose: false, lazyEntries: true });
  try {
    let kind: 'APK' | 'IPA' | null = null;
    let oversized = false;
    for await (const entry of zip.eachEntry()) {
      const isApkEntry = APK_ENTRIES.test(entry.fileName);
      const isIpaEntry = IPA_ENTRIES.test(entry.fileName);
      if (!isApkEntry && !isIpaEntry) continue;
      if (entry.uncompressedSize > MAX_ENTRY_BYTES) oversized = true;
      if (/^AndroidManifest\.xml$/i.test(entry.fileName)) kind = 'APK';
      else if (/Info\.plist$/i.test(entry.fileName) && kind === null) kind = 'IPA';
    }
    return { kind, oversized };
  } finally {
    zip.close();
  }
}

const text = (value: unknown) =>
  typeof value === 'string' || typeof value === 'number' ? String(value).slice(0, 100) || null : null;

function iconBytes(dataUrl: unknown): Buffer | null {
  if (typeof dataUrl !== 'string' || !dataUrl.startsWith('data:image/png;base64,')) return null;
  const bytes = Buffer.from(dataUrl.slice('data:image/png;base64,'.length), 'base64');
  return bytes.length > 0 && bytes.length <= MAX_ICON_BYTES ? bytes : null;
}

/**
 * Version, bundle id and icon of an APK or IPA stored at `filePath` (a complete upload). Anything
 * else, or a package we cannot read, is a plain file with a note saying why: the build is kept
 * either way.
 */
export async function readBuildMetadata(filePath: string): Promise<BuildMetadata> {
  let inspected: Awaited<ReturnType<typeof inspectZip>>;
  try {
    inspected = await inspectZip(filePath);
  } catch {
    return plainFile('Not an APK or IPA file: stored as a plain file, without version or bundle id');
  }
  if (!inspected.kind)
    return plainFile('Not an APK or IPA file: stored as a plain file, without version or bundle id');
  if (inspected.oversized)
    return plainFile(`This ${inspected.kind}'s manifest is too large to read: stored as a plain file`);
  try {
    const fields = PACKAGE_FIELDS[inspected.kind];
    const info = await new fields.Parser(filePath).parse();
    return {
      kind: inspected.kind,
      bundleId: text(info[fields.bundleId]),
      version: text(info[fields.version]),
      buildNumber: text(info[fields.buildNumber]),
      icon: iconBytes(info.icon),
      note: null,
    };
  } catch {
    return plainFile(
      `This ${inspected.kind} could not be read: stored as a plain file, without version or bundle id`,
    );
  }
}
