import { describe, expect, it } from 'vitest';
import { HttpError, httpHandler } from '../../functions/shared/http.ts';
import { PayloadError, SignatureError } from '../../functions/shared/sources/errors.ts';

/** What a function answers when its handler throws `error`. */
async function answerTo(error: Error) {
  const handler = httpHandler(async () => {
    throw error;
  });
  const response = await handler({ headers: {} } as never, {} as never);
  return { status: response.statusCode, headers: response.headers, body: JSON.parse(String(response.body)) };
}

describe('every error answer of the functions', () => {
  it('has one JSON shape: message, code, and the field when the message names one', async () => {
    const answers = await Promise.all([
      answerTo(new PayloadError('line_items.0.price: expected a decimal amount')),
      answerTo(new SignatureError('x-shopify-hmac-sha256 does not match the body')),
      answerTo(new HttpError(404, 'Unknown store for shopify webhooks')),
      answerTo(new HttpError(413, 'body larger than 1 MiB')),
    ]);
    expect(answers.map(({ status, body }) => ({ status, body }))).toEqual([
      {
        status: 400,
        body: {
          message: 'line_items.0.price: expected a decimal amount',
          code: 'invalid-request',
          field: 'line_items.0.price',
        },
      },
      { status: 401, body: { message: 'x-shopify-hmac-sha256 does not match the body', code: 'invalid-signature' } },
      { status: 404, body: { message: 'Unknown store for shopify webhooks', code: 'not-found' } },
      { status: 413, body: { message: 'body larger than 1 MiB', code: 'too-large' } },
    ]);
    for (const { headers } of answers) expect(headers).toMatchObject({ 'x-content-type-options': 'nosniff' });
  });

  it("shows no internal error's text, and no message an error marked unexposed carries", async () => {
    const internal = await answerTo(new Error('table not found: aftercare-demo'));
    const unexposed = await answerTo(Object.assign(new Error('secret detail'), { statusCode: 400, expose: false }));
    for (const answer of [internal, unexposed])
      expect(answer).toMatchObject({ status: 500, body: { message: 'Internal Server Error', code: 'internal' } });
  });

  it('gives an exposed error without a code of ours the code of its status', async () => {
    const foreign = Object.assign(new Error('Unsupported Media Type'), { statusCode: 415, expose: true, code: 'E415' });
    const answer = await answerTo(foreign);
    expect(answer).toMatchObject({ status: 415, body: { message: 'Unsupported Media Type', code: 'error' } });
  });
});
