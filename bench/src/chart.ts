export interface Series {
  name: string;
  color: string;
  /** Throughput (req/s) against latency (ms), one point per load step, in load order. */
  points: { x: number; y: number; label: string }[];
}

const WIDTH = 760;
const HEIGHT = 420;
const MARGIN = { top: 40, right: 30, bottom: 55, left: 70 };

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return Math.ceil(value / magnitude) * magnitude;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}

/** A plain SVG line chart (no script, no external fonts): latency against achieved throughput. */
export function latencyChart(title: string, series: Series[]): string {
  const all = series.flatMap((s) => s.points);
  const xMax = niceMax(Math.max(...all.map((p) => p.x)));
  const yMax = niceMax(Math.max(...all.map((p) => p.y)));
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const sx = (x: number) => MARGIN.left + (x / xMax) * plotW;
  const sy = (y: number) => MARGIN.top + plotH - (y / yMax) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(title)}</text>`,
  ];
  for (let i = 0; i <= 5; i++) {
    const x = (xMax / 5) * i;
    const y = (yMax / 5) * i;
    parts.push(
      `<line x1="${sx(x)}" y1="${MARGIN.top}" x2="${sx(x)}" y2="${MARGIN.top + plotH}" stroke="#eee"/>`,
      `<text x="${sx(x)}" y="${MARGIN.top + plotH + 18}" text-anchor="middle">${Math.round(x)}</text>`,
      `<line x1="${MARGIN.left}" y1="${sy(y)}" x2="${MARGIN.left + plotW}" y2="${sy(y)}" stroke="#eee"/>`,
      `<text x="${MARGIN.left - 8}" y="${sy(y) + 4}" text-anchor="end">${Number(y.toFixed(1))}</text>`,
    );
  }
  parts.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 12}" text-anchor="middle">throughput (requests/s)</text>`,
    `<text transform="translate(18 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">latency (ms)</text>`,
  );
  series.forEach((s, index) => {
    // In load order (the sweep's connection counts), so the line follows the load as it grows.
    const sorted = s.points;
    const path = sorted
      .map((p, i) => `${i ? 'L' : 'M'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`)
      .join(' ');
    parts.push(`<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
    for (const p of sorted) {
      parts.push(
        `<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="3.5" fill="${s.color}"><title>${escapeXml(`${s.name}: ${p.label}`)}</title></circle>`,
      );
    }
    const ly = MARGIN.top + 14 + index * 18;
    parts.push(
      `<line x1="${MARGIN.left + 12}" y1="${ly - 4}" x2="${MARGIN.left + 32}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"/>`,
      `<text x="${MARGIN.left + 38}" y="${ly}">${escapeXml(s.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
