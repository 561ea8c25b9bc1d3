import { copyFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The browser tests write screenshots only under test/artifacts/; the README's copies change only when this runs.
const FROM = fileURLToPath(new URL('../artifacts/screenshots/', import.meta.url));
const TO = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

const images = readdirSync(FROM).filter((name) => name.endsWith('.png'));
for (const name of images) copyFileSync(`${FROM}${name}`, `${TO}${name}`);
process.stdout.write(`copied ${images.length} screenshots from test/artifacts/screenshots/ to docs/screenshots/\n`);
