/**
 * Re-renders bench/REPORT.md and bench/results/latency.svg from bench/results/latest.json (and
 * previous.json), for a change to the report's layout without running the benchmark again.
 *   pnpm --filter @otp-access/bench run render
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { benchDir } from './config';
import { loadResults, readFindings, renderLatencyChart, renderReport } from './report';

const results = loadResults(path.join(benchDir, 'results/latest.json'));
if (!results)
  throw new Error('results/latest.json is missing or was written by an older harness: run pnpm bench');
writeFileSync(path.join(benchDir, 'results/latency.svg'), renderLatencyChart(results));
writeFileSync(
  path.join(benchDir, 'REPORT.md'),
  renderReport(results, loadResults(path.join(benchDir, 'results/previous.json')), readFindings()),
);
console.log('Rendered bench/REPORT.md and bench/results/latency.svg from results/latest.json');
