/**
 * tRPC fuzzing through `createCaller`: any JavaScript value as the input of every procedure,
 * including values JSON cannot carry. The shared fixture is in fuzz-trpc-support.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scaled } from '../testing/figures';
import { inputsFor, validInputs } from './fuzz-trpc-inputs';
import { callDirect, procedures, useTrpcFuzz, who } from './fuzz-trpc-support';

useTrpcFuzz('tRPC fuzzing, createCaller (fuzz-trpc-caller.test.ts)');

describe('tRPC fuzzing: never a 5xx, always the tRPC error shape, nothing changed on error', () => {
  it('has a valid input for every procedure, so each is fuzzed in depth', () => {
    expect(Object.keys(validInputs).sort()).toEqual(procedures.map((p) => p.path).sort());
  });

  for (const { path } of procedures) {
    it(`createCaller ${path}`, async () => {
      await fc.assert(
        fc.asyncProperty(inputsFor(path), who, async (input, kind) => {
          await callDirect(path, input, kind);
        }),
        { numRuns: scaled(12) },
      );
    });
  }
});
