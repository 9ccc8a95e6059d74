import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';

/** The WCAG 2.1 A and AA rules: what the console promises. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe-core on the page as it is now and fails on any serious or critical violation, listing
 * each rule with the elements it found (and, for contrast, the colours and ratio axe measured), so
 * a failure says what to fix without opening a trace. Any page can call it after it settles.
 */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  // A drawer or modal fades in: measured mid-transition, its text is drawn at part opacity and
  // fails contrast although the settled page passes. So the finite animations finish first
  // (spinners and skeletons run forever and are left out).
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((animation) => animation.effect?.getComputedTiming().endTime !== Infinity)
        .map((animation) => animation.finished.catch(() => undefined)),
    ),
  );
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = blocking.flatMap((violation) =>
    violation.nodes.slice(0, 8).map((node) => {
      const detail = node.any.concat(node.all).find((check) => check.message)?.message ?? '';
      return `${violation.impact} ${violation.id}: ${node.target.join(' ')} — ${detail}`;
    }),
  );
  expect(report, `axe on ${what}`).toEqual([]);
}

/** The colour scheme the console starts in, as the account menu's toggle leaves it. */
export async function useColorScheme(page: Page, scheme: 'light' | 'dark'): Promise<void> {
  await page.addInitScript((value) => {
    window.localStorage.setItem('mantine-color-scheme-value', value);
  }, scheme);
}

/**
 * The contrast ratio of an element's text against what is behind it, as drawn: its colour and
 * the opacity of it and its ancestors blended over the first opaque background up the tree.
 */
export async function textContrast(target: Locator): Promise<number> {
  return target.evaluate((element) => {
    const parse = (css: string) => {
      const match = /rgba?\(([^)]+)\)/.exec(css);
      if (!match) return [0, 0, 0, 0];
      const parts = match[1]!
        .split(/[\s,/]+/)
        .filter(Boolean)
        .map(Number);
      return [parts[0]!, parts[1]!, parts[2]!, parts[3] ?? 1];
    };
    let opacity = 1;
    let background: number[] | null = null;
    for (let node: Element | null = element; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      opacity *= Number(style.opacity);
      const bg = parse(style.backgroundColor);
      if (!background && bg[3]! >= 0.99) background = bg;
    }
    const bg = background ?? [255, 255, 255, 1];
    const fg = parse(getComputedStyle(element).color);
    const alpha = fg[3]! * opacity;
    const drawn = [0, 1, 2].map((i) => fg[i]! * alpha + bg[i]! * (1 - alpha));
    const luminance = (rgb: number[]) => {
      const [r, g, b] = rgb.map((v) => {
        const c = v / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const [a, b] = [luminance(drawn), luminance(bg)].sort((x, y) => y - x);
    return (a! + 0.05) / (b! + 0.05);
  });
}
