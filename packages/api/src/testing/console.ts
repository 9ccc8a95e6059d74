import { vi } from 'vitest';

/**
 * Collects everything written to the console into `lines` instead of printing it, so a test can
 * assert that no secret was logged. `vi.restoreAllMocks()` ends it.
 */
export function captureConsole(lines: string[]): void {
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    });
  }
}
