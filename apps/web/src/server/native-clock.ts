/**
 * Next wraps `Date` and `Math.random` for the whole process when its server loads
 * (next/dist/server/node-environment-extensions): with `cacheComponents`, a prerender that reads
 * the clock or randomness must be caught. This app does not enable `cacheComponents`
 * (next.config.mjs; `native-clock.test.ts` keeps it so), and without it the wrappers catch nothing,
 * but every date the API makes or reads (four per OTP user row, the log line's time, each
 * request's clock) still goes through them: 13% of the CPU of a REST read in the server
 * (bench/FINDINGS.md). The API shares this process, so the server puts the native ones back once
 * Next has loaded.
 */
export function keepNativeClock(): () => void {
  const NativeDate = globalThis.Date;
  const nativeRandom = Math.random;
  return function restoreNativeClock() {
    if (globalThis.Date !== NativeDate) {
      globalThis.Date = NativeDate;
      // The wrapper also took over the prototype's `constructor`.
      Object.defineProperty(NativeDate.prototype, 'constructor', {
        value: NativeDate,
        writable: true,
        enumerable: false,
        configurable: true,
      });
    }
    Math.random = nativeRandom;
  };
}
