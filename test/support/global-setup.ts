import { findChromium } from './browser.ts';

/**
 * Runs once before the test files: the npm-shipped Chromium is unpacked here, in one process, so that two browser
 * test files starting together never race on a half-written binary.
 */
export default async function setup(): Promise<void> {
  const choice = await findChromium();
  process.stdout.write(`browser tests use Chromium from ${choice.source}: ${choice.executablePath}\n`);
}
