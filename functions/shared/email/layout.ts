import type { Locale } from '../domain/vocabulary.ts';
import type { CommonCopy } from './templates/common.ts';
import type { Block, TemplateCopy } from './templates/model.ts';

/**
 * The one layout every email shares: brand-coloured header with logo or store name, the content, and a footer
 * with the reason for the email, the support address and (when given) the unsubscribe/preferences links.
 * Everything here is Liquid source; it is rendered per email after MJML has been compiled once.
 */

const LIQUID_TAG = /(\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\})/;

/** HTML-escapes the literal copy around Liquid tags (Liquid output itself is escaped at render time). */
export function htmlCopy(source: string): string {
  return source
    .split(LIQUID_TAG)
    .map((part, index) =>
      index % 2 === 1
        ? part
        : part.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('\n', '<br>'),
    )
    .join('');
}

const MUTED = '#57606a';
// One table cell per score: Outlook's Word engine ignores padding and radius on links, but sizes cells.
const scoreCell = 'border:1px solid {{ store.accentColor }};border-radius:4px;text-align:center;vertical-align:middle;';
const scoreLink =
  'display:block;line-height:40px;color:{{ store.accentColor }};font-size:16px;font-weight:bold;text-decoration:none;';
const calloutBox =
  'border:2px dashed {{ store.accentColor }};border-radius:6px;padding:12px 16px;font-size:20px;font-weight:bold;' +
  'text-align:center;letter-spacing:1px;';
const quoteBox = `margin:0;padding:4px 0 4px 14px;border-left:4px solid ${MUTED};font-style:italic;`;

function blockMjml(block: Block, common: CommonCopy): string {
  switch (block.kind) {
    case 'heading':
      return (
        '<mj-text padding-top="18px"><h2 style="margin:0;font-size:19px;line-height:1.4;font-weight:bold">' +
        `${htmlCopy(block.text)}</h2></mj-text>`
      );
    case 'paragraph':
      return `<mj-text>${htmlCopy(block.text)}</mj-text>`;
    case 'list': {
      const items = block.items.map((item) => `<li style="margin:0 0 6px">${htmlCopy(item)}</li>`).join('');
      return `<mj-text><ul style="margin:0;padding-left:20px">${items}</ul></mj-text>`;
    }
    case 'callout':
      return `<mj-text><div style="${calloutBox}">${htmlCopy(block.text)}</div></mj-text>`;
    case 'quote':
      return `<mj-text><blockquote style="${quoteBox}">${htmlCopy(block.text)}</blockquote></mj-text>`;
    case 'button':
      return (
        `<mj-raw>{% if ${block.href} %}</mj-raw>` +
        `<mj-button href="{{ ${block.href} }}" background-color="{{ store.brandColor }}" color="{{ store.brandInk }}" ` +
        `font-size="16px" font-weight="bold" border-radius="6px" inner-padding="12px 24px">${htmlCopy(block.label)}</mj-button>` +
        '<mj-raw>{% endif %}</mj-raw>'
      );
    case 'products':
      return (
        '<mj-table font-size="16px" line-height="1.5" color="#1f2328" padding-top="4px" padding-bottom="4px">' +
        '{% for product in products %}<tr style="border-bottom:1px solid #d0d7de">' +
        '<td style="padding:8px 0">{{ product.quantity }} × {{ product.title }}</td>' +
        '<td style="padding:8px 0;text-align:right;white-space:nowrap">{{ product.price | money: order.currency }}</td>' +
        '</tr>{% endfor %}' +
        `{% if order.total %}<tr><td style="padding:8px 0;font-weight:bold">${htmlCopy(common.total)}</td>` +
        '<td style="padding:8px 0;text-align:right;font-weight:bold;white-space:nowrap">' +
        '{{ order.total | money: order.currency }}</td></tr>{% endif %}' +
        '</mj-table>'
      );
    case 'survey-scale':
      return (
        '<mj-table table-layout="fixed" cellspacing="4" role="presentation" padding-top="4px" padding-bottom="0">' +
        '<tr>{% for option in links.survey %}' +
        `<td height="40" style="${scoreCell}"><a href="{{ option.url }}" aria-label="${htmlCopy(common.scoreLabel)}" ` +
        `style="${scoreLink}">{{ option.score }}</a></td>{% endfor %}</tr></mj-table>` +
        `<mj-text padding-top="4px" font-size="14px" color="${MUTED}">${htmlCopy(common.scaleLegend)}</mj-text>`
      );
  }
}

function blockText(block: Block, common: CommonCopy): string {
  switch (block.kind) {
    case 'heading':
    case 'paragraph':
    case 'callout':
      return block.text;
    case 'quote':
      return block.text
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n');
    case 'list':
      return block.items.map((item) => `- ${item}`).join('\n');
    case 'button':
      return `{% if ${block.href} %}${block.label}${common.colon}{{ ${block.href} }}{% endif %}`;
    case 'products':
      return (
        '{% for product in products %}- {{ product.quantity }} × {{ product.title }}' +
        '{% if product.price %} ({{ product.price | money: order.currency }}){% endif %}\n{% endfor %}' +
        `{% if order.total %}${common.total}${common.colon}{{ order.total | money: order.currency }}{% endif %}`
      );
    case 'survey-scale':
      return `${common.scaleLegend}\n{% for option in links.survey %}{{ option.score }}${common.colon}{{ option.url }}\n{% endfor %}`;
  }
}

function letterBlocks(copy: TemplateCopy, common: CommonCopy): Block[] {
  const greeting = copy.greeting ?? (copy.audience === 'store' ? undefined : common.greeting);
  const signOff = copy.signOff ?? common.signOff;
  return [
    ...(greeting ? [{ kind: 'paragraph', text: greeting } as const] : []),
    ...copy.blocks,
    { kind: 'paragraph', text: signOff },
  ];
}

/** The built-in content: MJML sections and plain text made from the same blocks. */
export function builtInContent(copy: TemplateCopy, common: CommonCopy): { mjml: string; text: string } {
  const blocks = letterBlocks(copy, common);
  const mjml = blocks
    .map((block) => {
      const markup = blockMjml(block, common);
      return block.when ? `<mj-raw>{% if ${block.when} %}</mj-raw>${markup}<mj-raw>{% endif %}</mj-raw>` : markup;
    })
    .join('\n');
  const text = blocks
    .map((block) => {
      const body = blockText(block, common);
      return block.when ? `{% if ${block.when} %}${body}{% endif %}` : body;
    })
    .join('\n\n');
  return {
    mjml: `<mj-section background-color="#ffffff" padding="20px 12px"><mj-column>\n${mjml}\n</mj-column></mj-section>`,
    text,
  };
}

function footerNote(copy: TemplateCopy, common: CommonCopy): string {
  return copy.footerNote ?? common.footerNote;
}

/** The store's postal address and legal line (CAN-SPAM, Impressum), each only when configured. */
function storeDetails(): string {
  return (
    '{% if store.postalAddress %}<br>{{ store.postalAddress }}{% endif %}' +
    '{% if store.legalLine %}<br>{{ store.legalLine }}{% endif %}'
  );
}

/** A whole MJML document around `content` (one or more `<mj-section>`/`<mj-wrapper>`). */
export function mjmlDocument(locale: Locale, content: string, copy: TemplateCopy, common: CommonCopy): string {
  const link = (href: string, label: string) => `<a href="{{ ${href} }}" style="color:${MUTED}">${htmlCopy(label)}</a>`;
  const support =
    copy.audience === 'store'
      ? ''
      : `<br>${htmlCopy(common.supportLine)} <a href="mailto:{{ store.supportEmail }}" style="color:${MUTED}">{{ store.supportEmail }}</a>` +
        `{% if store.helpUrl %} · ${link('store.helpUrl', common.helpPage)}{% endif %}`;
  const unsubscribe =
    copy.audience === 'store'
      ? ''
      : '{% if links.unsubscribe or links.preferences %}<br>{% endif %}' +
        `{% if links.unsubscribe %}${link('links.unsubscribe', common.unsubscribe)}{% endif %}` +
        '{% if links.unsubscribe and links.preferences %} · {% endif %}' +
        `{% if links.preferences %}${link('links.preferences', common.preferences)}{% endif %}`;
  const details = copy.audience === 'store' ? '' : storeDetails();
  // A hidden preheader in the page's own colours: white-on-white text reads as hidden spam text to filters.
  const preheader =
    '<mj-raw><div style="display:none;max-height:0;max-width:0;overflow:hidden;opacity:0;mso-hide:all">' +
    '{{ email.preheader }}</div></mj-raw>';
  return `<mjml lang="${locale}">
<mj-head>
<mj-title>{{ email.subject }}</mj-title>
<mj-attributes>
<mj-all font-family="Helvetica, Arial, sans-serif" />
<mj-text font-size="16px" line-height="1.5" color="#1f2328" />
</mj-attributes>
</mj-head>
<mj-body background-color="#f3f4f6" width="600px">
${preheader}
<mj-section background-color="{{ store.brandColor }}" padding="16px 12px"><mj-column>
<mj-text color="{{ store.brandInk }}" font-size="22px" font-weight="bold">{% if store.logoUrl %}<img src="{{ store.logoUrl }}" alt="{{ store.name }}" width="{{ store.logoWidth }}" style="display:block;width:{{ store.logoWidth }}px;max-width:100%;height:auto;border:0">{% else %}{{ store.name }}{% endif %}</mj-text>
</mj-column></mj-section>
${content}
<mj-section padding="12px"><mj-column>
<mj-text font-size="12px" line-height="1.6" color="${MUTED}" align="center">${htmlCopy(footerNote(copy, common))}${support}${unsubscribe}${details}</mj-text>
</mj-column></mj-section>
</mj-body>
</mjml>`;
}

/** The whole plain-text part around `content`. */
export function textDocument(content: string, copy: TemplateCopy, common: CommonCopy): string {
  const lines = [content, '', '--', footerNote(copy, common)];
  if (copy.audience !== 'store') {
    lines.push(
      `${common.supportLine} {{ store.supportEmail }}`,
      `{% if store.helpUrl %}${common.helpPage}${common.colon}{{ store.helpUrl }}{% endif %}`,
      `{% if links.unsubscribe %}${common.unsubscribe}${common.colon}{{ links.unsubscribe }}{% endif %}`,
      `{% if links.preferences %}${common.preferences}${common.colon}{{ links.preferences }}{% endif %}`,
      '{% if store.postalAddress %}{{ store.postalAddress }}{% endif %}',
      '{% if store.legalLine %}{{ store.legalLine }}{% endif %}',
    );
  }
  return lines.join('\n');
}

/** Tidies rendered text: LF line ends, no trailing spaces, at most one blank line in a row. */
export function tidyText(text: string): string {
  const lines = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd());
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}
