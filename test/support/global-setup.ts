import { localPolicies } from '../../local-cloud/iam-policies.ts';
import { findChromium } from './browser.ts';

/**
 * Runs once before the test files: the npm-shipped Chromium is unpacked here, in one process, so that two browser
 * test files starting together never race on a half-written binary. The local cloud's IAM policies are synthesised
 * here too (once, into node_modules/.cache), so the test files do not each pay a CDK synth.
 */
export default async function setup(): Promise<void> {
  const choice = await findChromium();
  process.stdout.write(`browser tests use Chromium from ${choice.source}: ${choice.executablePath}\n`);
  await localPolicies('aftercare');
}
