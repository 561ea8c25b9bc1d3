import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_FILE } from '../../functions/shared/config/file.ts';
import { createAftercareApp } from '../../infra/aws/aftercare-app.ts';
import { NO_BUNDLING, readJson, synthesize, TWO_STORES_CONFIG, tempDir } from './support.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface ValidationReport {
  pluginReports: { pluginName: string; violations: { ruleName: string; severity?: string }[] }[];
}

function configWith(change: (config: { stores: Record<string, unknown>[] }) => void): string {
  const config = JSON.parse(readFileSync(TWO_STORES_CONFIG, 'utf8'));
  change(config);
  const path = join(tempDir('aftercare-config-'), 'aftercare.config.json');
  writeFileSync(path, JSON.stringify(config));
  return path;
}

describe('cdk-nag (AwsSolutions) and CloudFormation validation', () => {
  it('leave no unacknowledged finding on the stack built from the repository configuration', () => {
    const { outdir, stack } = synthesize({ configPath: DEFAULT_CONFIG_FILE, cloudFormationValidation: true });
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
    const report = readJson(join(outdir, 'validation-report.json')) as ValidationReport;
    const findings = report.pluginReports.flatMap((plugin) =>
      plugin.violations.map((violation) => `${plugin.pluginName}: ${violation.ruleName} (${violation.severity})`),
    );
    expect(findings.filter((finding) => !finding.endsWith('(warning)'))).toEqual([]);
  });

  it('leave no unacknowledged finding under another name prefix (acknowledgements name its ARNs)', () => {
    const { outdir, stack } = synthesize({ context: { namePrefix: 'aftercare-staging' } });
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
    const report = readJson(join(outdir, 'validation-report.json')) as ValidationReport;
    const errors = report.pluginReports.flatMap((plugin) => plugin.violations.filter((v) => v.severity !== 'warning'));
    expect(errors.map((violation) => violation.ruleName)).toEqual([]);
  });

  it('are live: an unacknowledged finding fails the synth', () => {
    const { app, stack } = createAftercareApp({
      configPath: TWO_STORES_CONFIG,
      context: NO_BUNDLING,
      outdir: tempDir(),
      cloudFormationValidation: false,
    });
    new Queue(stack, 'QueueWithoutDeadLetterQueue');
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS3/);
  });
});

describe('settings are validated before anything is built', () => {
  it('names the wrong field of the configuration file', () => {
    const configPath = configWith((config) => {
      (config.stores[0] as Record<string, unknown>).fromAddress = 'care at kitchen-world';
    });
    expect(() => createAftercareApp({ configPath, context: NO_BUNDLING })).toThrow(/stores\.0\.fromAddress/);
  });

  it.each([
    [{ stepConcurrency: 'lots' }, /stepConcurrency/],
    [{ senderDomain: 'Not A Domain' }, /senderDomain: must be a lower-case domain name/],
    [{ domainName: 'care.shop.example' }, /domainName: domainName and certificateArn go together/],
    [{ alarmEmail: 'ops' }, /alarmEmail/],
  ])('names the wrong cdk context setting %j', (context, message) => {
    expect(() =>
      createAftercareApp({ configPath: TWO_STORES_CONFIG, context: { ...NO_BUNDLING, ...context } }),
    ).toThrow(message);
  });

  it('stops `cdk synth` (the app entry) with that message and a failing exit code', () => {
    const configPath = configWith((config) => {
      (config.stores[1] as Record<string, unknown>).platforms = ['magento'];
    });
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'infra/aws/app.ts')], {
      cwd: root,
      env: { ...process.env, AFTERCARE_CONFIG: configPath, CDK_OUTDIR: tempDir() },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/stores\.1\.platforms\.0/);
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});
