/**
 * Re-renders bench/REPORT.md and bench/results/latency.svg from bench/results/latest.json, for a
 * change to the report's layout without running the benchmark again.
 *   pnpm --filter @otp-access/bench run render
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchResults, renderLatencyChart, renderReport } from './report';

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const results = JSON.parse(readFileSync(path.join(benchDir, 'results/latest.json'), 'utf8')) as BenchResults;
writeFileSync(path.join(benchDir, 'results/latency.svg'), renderLatencyChart(results));
writeFileSync(path.join(benchDir, 'REPORT.md'), renderReport(results));
console.log('Rendered bench/REPORT.md and bench/results/latency.svg from results/latest.json');
