import type { NextConfig } from 'next';

const config: NextConfig = {
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
