import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import nextConfig from '../../next.config.mjs';
import { keepNativeClock } from './native-clock';

describe("the server's clock", () => {
  it('is the native Date and Math.random again after Next wraps them', () => {
    const NativeDate = Date;
    const nativeRandom = Math.random;
    const restoreNativeClock = keepNativeClock();
    // What Next's server loads into the process (next-server.js → node-environment).
    const require = createRequire(import.meta.url);
    require('next/dist/server/node-environment-extensions/date');
    require('next/dist/server/node-environment-extensions/random');
    expect(Date).not.toBe(NativeDate);
    expect(Math.random).not.toBe(nativeRandom);

    restoreNativeClock();
    expect(Date).toBe(NativeDate);
    expect(new Date(0).constructor).toBe(NativeDate);
    expect(new Date(0).toISOString()).toBe('1970-01-01T00:00:00.000Z');
    expect(Math.random).toBe(nativeRandom);
  });

  it('may be native because Next does not prerender with cacheComponents here', () => {
    // With cacheComponents, Next's wrappers are how a prerender that reads the clock is caught:
    // turning it on means the server must stop restoring the native clock (native-clock.ts).
    const config = nextConfig as { cacheComponents?: boolean; experimental?: Record<string, unknown> };
    expect(config.cacheComponents ?? false).toBe(false);
    expect(config.experimental?.cacheComponents ?? false).toBe(false);
    expect(config.experimental?.dynamicIO ?? false).toBe(false);
  });
});
