import { Logger } from '@aws-lambda-powertools/logger';
import { environment } from './env.ts';

/**
 * One structured logger. Callers log ids, sequence and step names, reasons and counts — never addresses, names or
 * payloads (no personal data in logs).
 */
export const logger = new Logger({ serviceName: 'aftercare', logLevel: logLevel() });

/** AFTERCARE_LOG_LEVEL, else WARN on the local cloud (a wake per step would flood the terminal) and INFO on AWS. */
function logLevel() {
  const { AFTERCARE_LOG_LEVEL, AFTERCARE_STAGE } = environment();
  return AFTERCARE_LOG_LEVEL ?? (AFTERCARE_STAGE === 'local' ? 'WARN' : 'INFO');
}

/** Anything address-shaped, as SES quotes recipients in its error texts ("Email address is not verified: …"). */
const ADDRESS = /[^\s<>()[\]"',;:]+@[^\s<>()[\]"',;:]+/g;

/**
 * What an error may put in a log line: its name and its text with every address masked. The text goes under
 * `reason`, because Powertools reserves `message` for the log message and drops a `message` key passed with it.
 */
export function errorFacts(error: unknown): { error: string; reason: string } {
  const { name = 'Error', message = String(error) } = error instanceof Error ? error : {};
  return { error: name, reason: message.replace(ADDRESS, '<address>').slice(0, 500) };
}
