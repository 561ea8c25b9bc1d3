import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';
import type { AftercareConfig } from '../../functions/shared/config/schema.ts';

/** Some dependencies are CommonJS and call require(); an ESM bundle gets one from createRequire. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module';const require = createRequire(import.meta.url);";

/**
 * How every function is bundled: the stack (NodejsFunction) and test/bench/bundles.ts both derive their esbuild
 * options from this one object, so the measured bundle is the deployed bundle.
 *
 * The AWS SDK v3 clients are bundled, not taken from the runtime: one minified file loads faster than the runtime's
 * many-file SDK (see test/bench/bundles.ts), and the deployed code runs the SDK version that was tested.
 */
export const bundleSettings = {
  target: 'node24',
  platform: 'node',
  format: 'esm',
  minify: true,
  sourcemap: true,
  /** Line mappings only: stack traces still resolve, the deployed zip stays small. */
  sourcesContent: false,
  banner: ESM_REQUIRE_BANNER,
  mainFields: ['module', 'main'],
  external: [] as string[],
} as const;

/** The validated configuration, inlined as the `__AFTERCARE_CONFIG__` string constant (see functions/shared/config.ts). */
export function configDefine(config: AftercareConfig): Record<string, string> {
  return { __AFTERCARE_CONFIG__: JSON.stringify(JSON.stringify(config)) };
}

export function nodejsBundling(config: AftercareConfig): BundlingOptions {
  return {
    target: bundleSettings.target,
    format: OutputFormat.ESM,
    minify: bundleSettings.minify,
    sourceMap: bundleSettings.sourcemap,
    sourcesContent: bundleSettings.sourcesContent,
    banner: bundleSettings.banner,
    mainFields: [...bundleSettings.mainFields],
    externalModules: [...bundleSettings.external],
    define: configDefine(config),
  };
}

export function esbuildOptions(entry: string, outfile: string, config: AftercareConfig): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: bundleSettings.platform,
    target: bundleSettings.target,
    format: bundleSettings.format,
    minify: bundleSettings.minify,
    sourcemap: bundleSettings.sourcemap,
    sourcesContent: bundleSettings.sourcesContent,
    banner: { js: bundleSettings.banner },
    mainFields: [...bundleSettings.mainFields],
    external: [...bundleSettings.external],
    define: configDefine(config),
    logLevel: 'warning',
  };
}
