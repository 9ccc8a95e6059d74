/**
 * Compiles a workspace package to JavaScript for the production server: `node` runs `dist/` with
 * no TypeScript loader. Usage, from the package's folder: `node ../../tooling/compile.mjs [name=entry …]`.
 *
 * Each export of the package (but `./testing` and `./dist/*`) becomes `dist/<subpath>.js`, plus the
 * extra `name=src/file.ts` entries given. Every output file sits directly in `dist/`, as the source
 * sits in `src/`, so paths a module derives from `import.meta.url` (`../..` to the repository)
 * stay right. Dependencies stay imports, resolved from the package's own node_modules at run time;
 * an import of another workspace package becomes one of its compiled files
 * (`@otp-access/db/embedded` → `@otp-access/db/dist/embedded.js`), so no TypeScript is loaded
 * anywhere, and each package's code is loaded once.
 */
import { existsSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';

const SKIPPED = new Set(['./testing', './dist/*']);

/** `./embedded` → `embedded`, `.` → `index`. */
const outputName = (subpath) => (subpath === '.' ? 'index' : subpath.slice(2));

function compiledExports(packageDir) {
  const manifest = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  const entries = {};
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    if (SKIPPED.has(subpath) || typeof target !== 'string') continue;
    entries[outputName(subpath)] = path.join(packageDir, target);
  }
  return { name: manifest.name, entries };
}

const own = compiledExports(process.cwd());
for (const argument of process.argv.slice(2)) {
  const [name, entry] = argument.split('=');
  if (!name || !entry) throw new Error(`Expected name=src/file.ts, got "${argument}"`);
  own.entries[name] = path.resolve(entry);
}

/** Where `node_modules/<packageName>` seen from `from` leads (a workspace package's folder). */
function packageDirectory(packageName, from) {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', packageName);
    if (existsSync(path.join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dir === path.dirname(dir)) throw new Error(`${packageName} is not installed for ${from}`);
  }
}

/** Imports of other workspace packages → their compiled files. */
const workspaceImports = {
  name: 'workspace-imports',
  setup(build) {
    build.onResolve({ filter: /^@otp-access\// }, (args) => {
      const [scope, name, ...rest] = args.path.split('/');
      const packageName = `${scope}/${name}`;
      const subpath = rest.length ? `./${rest.join('/')}` : '.';
      const target = packageDirectory(packageName, args.resolveDir);
      const { entries } = compiledExports(target);
      if (packageName === own.name) throw new Error(`${args.importer} imports its own package by name`);
      if (!entries[outputName(subpath)])
        throw new Error(`${args.importer}: ${args.path} is not an export ${packageName} compiles`);
      return { path: `${packageName}/dist/${outputName(subpath)}.js`, external: true };
    });
  },
};

rmSync('dist', { recursive: true, force: true });
await esbuild.build({
  entryPoints: own.entries,
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  plugins: [workspaceImports],
  logLevel: 'warning',
  chunkNames: 'chunk-[hash]',
});
