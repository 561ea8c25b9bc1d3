import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured logger. Callers log ids, sequence and step names, reasons and counts — never addresses, names or
 * payloads (no personal data in logs).
 */
export const logger = new Logger({
  serviceName: 'aftercare',
  logLevel:
    (process.env.AFTERCARE_LOG_LEVEL as 'INFO' | 'WARN' | 'ERROR' | 'SILENT' | undefined) ??
    (process.env.AFTERCARE_STAGE === 'local' || process.env.VITEST ? 'WARN' : 'INFO'),
});
