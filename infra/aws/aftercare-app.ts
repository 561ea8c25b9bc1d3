import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadConfigFile } from '../../functions/shared/config/file.ts';
import { readSettings } from './settings.ts';
import { AftercareStack } from './stack.ts';

export interface AftercareAppOptions {
  /** Configuration file; default `AFTERCARE_CONFIG` or infra/aftercare.config.json. */
  configPath?: string;
  /** Extra cdk context (tests: settings, `aws:cdk:bundling-stacks`). */
  context?: Record<string, unknown>;
  outdir?: string;
  /** aws-cdk-lib's built-in CloudFormation schema validation (default on; tests turn it off to stay fast). */
  cloudFormationValidation?: boolean;
}

/**
 * The CDK app: the operator's configuration and the deployment settings are validated before the stack is built,
 * so a wrong setting stops `cdk synth` with a message naming it. cdk-nag (AwsSolutions) checks every synth.
 */
export function createAftercareApp(options: AftercareAppOptions = {}): { app: App; stack: AftercareStack } {
  const config = loadConfigFile(options.configPath);
  const app = new App({
    ...(options.context ? { context: options.context } : {}),
    ...(options.outdir ? { outdir: options.outdir } : {}),
    builtinCloudFormationValidation: options.cloudFormationValidation ?? true,
  });
  const settings = readSettings(app.node);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new AftercareStack(app, 'Aftercare', {
    config,
    settings,
    description: 'Aftercare: after-sales email automation (webhooks, sequences, surveys)',
  });
  // Lets Cost Explorer show what Aftercare costs (activate the `application` cost allocation tag once).
  Tags.of(stack).add('application', 'aftercare');
  return { app, stack };
}
