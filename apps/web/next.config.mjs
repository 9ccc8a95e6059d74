// Plain JavaScript on purpose: a next.config.ts makes the production server load Next's SWC
// compiler (a ~24 MB native module) at every start only to read this file.

/** @type {import('next').NextConfig} */
const config = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Workspace packages ship TypeScript source.
  transpilePackages: ['@otp-access/api', '@otp-access/db', '@otp-access/validators'],
  // Native and WebAssembly-backed server dependencies load from node_modules at run time.
  serverExternalPackages: [
    'pino',
    '@prisma/client',
    '@prisma/adapter-pg',
    'pg',
    'argon2',
    '@electric-sql/pglite',
    '@electric-sql/pglite-socket',
    '@prisma/schema-engine-wasm',
  ],
  typescript: { ignoreBuildErrors: false },
};

export default config;
