import { describe, expect, it } from 'vitest';
import { findChromium } from '../support/browser.ts';

describe('the browser the tests drive', () => {
  it('is the one AFTERCARE_CHROMIUM names, and a wrong path says so', async () => {
    // Act / Assess
    await expect(findChromium({ AFTERCARE_CHROMIUM: '/nowhere/chromium' })).rejects.toThrow(
      /AFTERCARE_CHROMIUM is set to \/nowhere\/chromium, which does not exist/,
    );
    const chosen = await findChromium({ AFTERCARE_CHROMIUM: process.execPath });
    expect(chosen).toMatchObject({ executablePath: process.execPath, source: 'AFTERCARE_CHROMIUM' });
  });

  it('is found on Linux without any setup step (Debian package or the npm-shipped build)', async () => {
    const chosen = await findChromium({}, 'linux');
    expect(['debian', '@sparticuz/chromium']).toContain(chosen.source);
    expect(chosen.args).toContain('--disable-background-networking');
  });

  it('on a platform with no npm-shipped build, names the variable to set', async () => {
    await expect(findChromium({}, 'darwin')).rejects.toThrow(/Set AFTERCARE_CHROMIUM/);
  });
});
