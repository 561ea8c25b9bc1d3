/** WCAG 2 contrast: the text colour (black or white) that reads best on the store's brand colour. */
function channel(value: number): number {
  const c = value / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

export function luminance(hex: string): number {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new Error(`not a #rrggbb colour: ${hex}`);
  const [r, g, b] = match.slice(1).map((part) => channel(Number.parseInt(part, 16))) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** Black or white, whichever contrasts more with `background` (always ≥ 4.58:1). */
export function inkOn(background: string): '#000000' | '#ffffff' {
  return contrastRatio(background, '#000000') >= contrastRatio(background, '#ffffff') ? '#000000' : '#ffffff';
}

/** WCAG 2.x AA for normal text and for the labels of buttons and links: https://www.w3.org/TR/WCAG21/#contrast-minimum */
export const TEXT_CONTRAST = 4.5;

function mix(hex: string, toward: string, share: number): string {
  const parts = (colour: string) => [1, 3, 5].map((at) => Number.parseInt(colour.slice(at, at + 2), 16));
  const [from, to] = [parts(hex), parts(toward)];
  const mixed = from.map((value, index) => Math.round(value + ((to[index] ?? 0) - value) * share));
  return `#${mixed.map((value) => value.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * The brand colour itself when it reads as text on `background`, else the nearest shade of it that does (mixed
 * toward black on light backgrounds, white on dark ones): score links and borders stay on-brand and legible.
 */
export function accentOn(colour: string, background: string): string {
  if (contrastRatio(colour, background) >= TEXT_CONTRAST) return colour.toLowerCase();
  const toward = inkOn(background);
  for (let step = 1; step <= 20; step += 1) {
    const shade = mix(colour, toward, step / 20);
    if (contrastRatio(shade, background) >= TEXT_CONTRAST) return shade;
  }
  return toward;
}
