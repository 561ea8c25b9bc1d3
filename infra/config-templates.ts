import { configFilePath, loadConfigFile } from '../functions/shared/config/file.ts';
import { type AftercareConfig, ConfigError } from '../functions/shared/config/schema.ts';
import { checkTemplateOverrides, TemplateError } from '../functions/shared/email/index.ts';

/**
 * The configuration check that needs the email module: every store's template overrides are compiled and
 * trial-rendered, so a bad override stops `npm start` or `cdk synth` instead of a send. Async because MJML is,
 * which is why it lives beside `parseConfig` rather than inside it.
 */
export async function checkConfigTemplates(
  config: AftercareConfig,
  source = 'configuration',
): Promise<AftercareConfig> {
  const problems: string[] = [];
  for (const [index, store] of config.stores.entries()) {
    if (!store.templates) continue;
    try {
      await checkTemplateOverrides(store.templates);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      const part = error.part === 'template' || error.part === 'variables' ? '' : `.${error.part}`;
      problems.push(`  - stores.${index}.templates.${error.template}${part} (store "${store.id}"): ${error.message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(`Invalid ${source}:\n${problems.join('\n')}`);
  return config;
}

/** `loadConfigFile` plus the template check: what the local cloud and the CDK app load. */
export async function loadConfigChecked(path = configFilePath()): Promise<AftercareConfig> {
  return checkConfigTemplates(loadConfigFile(path), `configuration file ${path}`);
}
