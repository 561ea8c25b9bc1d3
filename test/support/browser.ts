import { existsSync } from 'node:fs';
import { type Browser, chromium, type LaunchOptions } from 'playwright-core';

/** Debian's package: a speed-up where it is installed (no unpacking), never a requirement. */
const DEBIAN_CHROMIUM = '/usr/bin/chromium';
// Without the background-networking flags Chromium keeps dialling Google on a closed network.
const CLOSED_NETWORK_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ChromiumChoice {
  executablePath: string;
  args: string[];
  /** Where it came from, for the failure message and the test log. */
  source: 'AFTERCARE_CHROMIUM' | 'debian' | '@sparticuz/chromium';
}

/**
 * The browser the tests drive, found without a third setup step: `AFTERCARE_CHROMIUM` if set, else Debian's
 * `/usr/bin/chromium` if present, else the Chromium build that the npm package `@sparticuz/chromium` carries
 * (Linux x64/arm64; unpacked once into the temporary folder). `AFTERCARE_CHROMIUM=npm` insists on that last one (CI
 * proves the newcomer's path with it). Anything else fails with a message naming the variable.
 */
export async function findChromium(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): Promise<ChromiumChoice> {
  const chosen = env.AFTERCARE_CHROMIUM;
  if (chosen && chosen !== 'npm') {
    if (!existsSync(chosen)) throw new Error(`AFTERCARE_CHROMIUM is set to ${chosen}, which does not exist.`);
    return { executablePath: chosen, args: CLOSED_NETWORK_ARGS, source: 'AFTERCARE_CHROMIUM' };
  }
  if (existsSync(DEBIAN_CHROMIUM))
    return { executablePath: DEBIAN_CHROMIUM, args: CLOSED_NETWORK_ARGS, source: 'debian' };
  if (platform !== 'linux' || !['x64', 'arm64'].includes(process.arch)) {
    throw new Error(
      `No Chromium for the browser tests on ${platform}/${process.arch}: the npm-shipped build is Linux x64/arm64 only. ` +
        'Set AFTERCARE_CHROMIUM to a Chromium or Chrome binary (for example ' +
        '"/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"). The browser tests are never skipped.',
    );
  }
  const packaged = (await import('@sparticuz/chromium')).default;
  const executablePath = await packaged.executablePath();
  return {
    executablePath,
    // Its --single-process (made for Lambda) ends the whole browser when the first context closes.
    args: [...new Set([...packaged.args, ...CLOSED_NETWORK_ARGS])].filter((arg) => arg !== '--single-process'),
    source: '@sparticuz/chromium',
  };
}

/**
 * Launches the chosen Chromium headless through playwright-core. `hideAutomation`: as a mail gateway's link scanner
 * runs it, with `--disable-blink-features=AutomationControlled` (navigator.webdriver reads false).
 */
export async function launchChromium(
  options: LaunchOptions = {},
  { hideAutomation = false }: { hideAutomation?: boolean } = {},
): Promise<Browser> {
  const choice = await findChromium();
  const args = hideAutomation ? [...choice.args, '--disable-blink-features=AutomationControlled'] : choice.args;
  return chromium.launch({ timeout: 30_000, ...options, executablePath: choice.executablePath, args });
}
