/**
 * The From header value: the store's display name in front of its address, as RFC 5322 and SES want it.
 * SES takes only 7-bit ASCII in FromEmailAddress; a "friendly from" name with other characters must be written as
 * RFC 2047 encoded words (https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html).
 */

// RFC 5322 atext plus the spaces between words: such a phrase needs no quoting.
const PLAIN_PHRASE = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+( [A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)*$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** RFC 2047: an encoded word is at most 75 characters; `=?UTF-8?B?` + `?=` leave 63, i.e. 45 bytes of Base64. */
const MAX_WORD_BYTES = 45;

function encodedWords(name: string): string {
  const words: string[] = [];
  let chunk = '';
  for (const character of name) {
    if (Buffer.byteLength(chunk + character, 'utf8') > MAX_WORD_BYTES) {
      words.push(chunk);
      chunk = '';
    }
    chunk += character;
  }
  if (chunk) words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word, 'utf8').toString('base64')}?=`).join(' ');
}

/** `Demo Appliances <care@…>`, `"Demo, Inc." <care@…>` or `=?UTF-8?B?…?= <care@…>`; the bare address without a name. */
export function senderAddress(displayName: string | undefined, address: string): string {
  const name = (displayName ?? '').replace(/[\s\p{Cc}]+/gu, ' ').trim();
  if (!name) return address;
  if (PLAIN_PHRASE.test(name) && !name.includes('=?')) return `${name} <${address}>`;
  if (PRINTABLE_ASCII.test(name)) return `"${name.replace(/(["\\])/g, '\\$1')}" <${address}>`;
  return `${encodedWords(name)} <${address}>`;
}
