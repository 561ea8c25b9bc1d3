/** One CSV record and the file line it starts on (quoted fields may span lines). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export class CsvError extends Error {
  override name = 'CsvError';
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * RFC 4180: comma-separated, fields optionally in double quotes, `""` is a quote inside quotes, quoted fields
 * may hold commas and line breaks; CRLF or LF line ends; a leading BOM is ignored; blank lines are skipped.
 */
// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: one character loop whose five state variables (quoted, afterQuote, field, line, recordLine) each branch reads and sets
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let afterQuote = false;
  const source = text.replace(/^\uFEFF/, '');
  const endRecord = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0] !== '') records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    afterQuote = false;
  };
  for (let i = 0; i < source.length; i += 1) {
    const char = source[i] as string;
    if (quoted) {
      if (char === '"' && source[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') {
        quoted = false;
        afterQuote = true;
      } else {
        if (char === '\n') line += 1;
        field += char;
      }
      continue;
    }
    if (char === ',') {
      fields.push(field);
      field = '';
      afterQuote = false;
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && source[i + 1] === '\n') i += 1;
      endRecord();
      line += 1;
      recordLine = line;
    } else if (char === '"' && field === '' && !afterQuote) {
      quoted = true;
    } else if (afterQuote) {
      throw new CsvError(line, 'unexpected text after a closing quote');
    } else {
      field += char;
    }
  }
  if (quoted) throw new CsvError(recordLine, 'a quoted field is never closed');
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

/** Records as objects keyed by the header row's column names (extra cells ignored, missing ones empty). */
export function csvObjects(records: readonly CsvRecord[]): { line: number; row: Record<string, string> }[] {
  const [header, ...rows] = records;
  if (!header) return [];
  const names = header.fields.map((name) => name.trim());
  return rows.map(({ line, fields }) => ({
    line,
    row: Object.fromEntries(names.map((name, index) => [name, fields[index] ?? ''])),
  }));
}
