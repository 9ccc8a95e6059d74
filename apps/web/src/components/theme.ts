import {
  Badge,
  type CSSVariablesResolver,
  createTheme,
  darken,
  luminance,
  type MantineColorsTuple,
  Modal,
  Table,
} from '@mantine/core';

/** WCAG's contrast ratio of two colours (hex or rgb()). */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** AA for normal text, with a little room for anti-aliasing and rounding. */
const MIN_CONTRAST = 4.6;

/** `color`, darkened in small steps until it reads on `background` at AA. */
function readableOn(color: string, background: string): string {
  let candidate = color;
  for (let step = 1; contrastRatio(candidate, background) < MIN_CONTRAST && step <= 20; step++) {
    candidate = darken(color, step * 0.05);
  }
  return candidate;
}

/** The first shade from `from` on that white text reads on; darker than shade 9 if none does. */
function filledShade(shades: MantineColorsTuple, from: number): string {
  for (let i = from; i < shades.length; i++) {
    if (contrastRatio('#ffffff', shades[i]!) >= MIN_CONTRAST) return shades[i]!;
  }
  return readableOn(shades[9]!, '#ffffff');
}

export const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'md',
  // System fonts only: nothing is fetched from the internet.
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
  components: {
    Badge: Badge.extend({ styles: { root: { textTransform: 'none' } } }),
    Table: Table.extend({ defaultProps: { fz: 'sm' } }),
    // The × of every modal says what it does to a screen reader.
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
  },
});

/**
 * Mantine's default palette puts several text colours under 4.5:1: dimmed grey (#868e96, 3.3:1 on
 * white), white on the filled buttons (indigo 6, 4.3:1), light badges (teal 9 on teal 1, 4.3:1),
 * dark-theme grey (3.5:1). Every such variable is derived here from the palette so that text
 * reaches AA in both schemes, whatever colour a component is given.
 */
export const cssVariablesResolver: CSSVariablesResolver = (resolved) => {
  const light: Record<string, string> = {
    '--mantine-color-dimmed': '#5c636a',
    '--mantine-color-placeholder': '#6c757d',
    '--mantine-color-error': resolved.colors.red[9],
    '--mantine-color-anchor': filledShade(resolved.colors.indigo, 7),
    '--mantine-color-disabled-color': '#5c636a',
  };
  const dark: Record<string, string> = {
    '--mantine-color-dimmed': resolved.colors.dark[1],
    '--mantine-color-placeholder': resolved.colors.dark[1],
    '--mantine-color-error': resolved.colors.red[4],
    '--mantine-color-disabled-color': resolved.colors.dark[1],
  };
  for (const [name, shades] of Object.entries(resolved.colors)) {
    if (name === 'dark' || !Array.isArray(shades) || shades.length < 10) continue;
    const palette = shades as unknown as MantineColorsTuple;
    const lightFilled = filledShade(palette, 6);
    const darkFilled = filledShade(palette, 8);
    light[`--mantine-color-${name}-filled`] = lightFilled;
    light[`--mantine-color-${name}-filled-hover`] = darken(lightFilled, 0.1);
    light[`--mantine-color-${name}-text`] = lightFilled;
    light[`--mantine-color-${name}-outline`] = lightFilled;
    light[`--mantine-color-${name}-light-color`] = readableOn(palette[9], palette[1]);
    dark[`--mantine-color-${name}-filled`] = darkFilled;
    dark[`--mantine-color-${name}-filled-hover`] = darken(darkFilled, 0.1);
    dark[`--mantine-color-${name}-text`] = palette[3];
    dark[`--mantine-color-${name}-outline`] = palette[3];
  }
  return { variables: {}, light, dark };
};
