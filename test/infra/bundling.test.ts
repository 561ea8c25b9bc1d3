import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../functions/shared/config/file.ts';
import { ESM_REQUIRE_BANNER } from '../../infra/aws/bundling.ts';
import { functionCode } from '../../infra/aws/functions.ts';
import { TWO_STORES_CONFIG, tempDir } from './support.ts';

describe('bundling (really runs esbuild)', () => {
  it('bundles the webhook function as ESM with the configuration inlined, and the bundle loads', async () => {
    const config = loadConfigFile(TWO_STORES_CONFIG);
    const app = new App({ builtinCloudFormationValidation: false, outdir: tempDir() });
    const stack = new Stack(app, 'BundlingCheck');
    const webhook = new NodejsFunction(stack, 'Webhook', functionCode('webhook', config));
    const assembly = app.synth();

    const resource =
      Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(webhook.node.defaultChild as never)];
    expect(resource.Properties).toMatchObject({
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
    });
    const assetHash = String(resource.Properties.Code.S3Key).replace(/\.zip$/, '');
    const bundle = join(assembly.directory, `asset.${assetHash}`, 'index.mjs');
    const code = readFileSync(bundle, 'utf8');
    expect(code.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
    expect(code).toContain('Kitchen World');
    expect(code).not.toMatch(/from\s*["']@aws-sdk\//);
    expect(code).toMatch(/sourceMappingURL=index\.mjs\.map/);

    const loaded = (await import(pathToFileURL(bundle).href)) as { handler?: unknown };
    expect(typeof loaded.handler).toBe('function');
  });
});
