import { ConfigError } from '../../functions/shared/config/schema.ts';
import { loadConfigChecked } from '../config-templates.ts';
import { createAftercareApp } from './aftercare-app.ts';

/** `cdk synth` / `cdk deploy` entry (cdk.json). Store template overrides are compiled first: a bad one stops synth. */
try {
  await loadConfigChecked();
  createAftercareApp().app.synth();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
