// A stable path for infra code: the vocabulary and the configuration schema live with the runtime.
export * from '../functions/shared/config/file.ts';
export * from '../functions/shared/config/schema.ts';
export * from '../functions/shared/domain/vocabulary.ts';
