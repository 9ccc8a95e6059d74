import { appendFileSync } from 'node:fs';

/**
 * Figures a reliability test reports (requests sent, faults injected, inputs tried, rows
 * checked). `pnpm test:reliability` collects them into a table for docs/reliability.md; under a
 * plain `pnpm test` nothing is written.
 */
export type Figures = Record<string, number | string>;

export function recordFigures(test: string, figures: Figures): void {
  const file = process.env.RELIABILITY_FIGURES_FILE;
  if (!file) return;
  appendFileSync(file, `${JSON.stringify({ test, figures })}\n`);
}

/**
 * How many generated inputs a property test tries: a quick default under `pnpm test`, more
 * under `pnpm test:reliability` (RELIABILITY_SCALE multiplies it).
 */
export function scaled(base: number): number {
  const scale = Number(process.env.RELIABILITY_SCALE ?? '1');
  return Math.max(1, Math.round(base * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}
