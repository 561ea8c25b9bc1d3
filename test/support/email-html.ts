import { HtmlValidate } from 'html-validate';

/**
 * html-validate's recommended rules, minus those that contradict what email clients need: inline styles (Gmail
 * drops <style> in places), Outlook's conditional comments and presentational table attributes (align, width,
 * cellpadding, bgcolor…), role="presentation" on layout tables, and MJML's own formatting (trailing spaces,
 * lower-case doctype, role="article" wrapper). Everything else — nesting, attributes, ids, alt text, WCAG rules —
 * stays an error.
 */
export const emailHtmlValidator = new HtmlValidate({
  extends: ['html-validate:recommended'],
  rules: {
    'no-inline-style': 'off',
    'no-conditional-comment': 'off',
    'no-deprecated-attr': 'off',
    'presentation-role-style': 'off',
    'no-trailing-whitespace': 'off',
    'doctype-style': 'off',
    'prefer-native-element': 'off',
    'prefer-tbody': 'off',
  },
});

/** Every html-validate error in `html`, as "rule: message" lines (empty when valid). */
export async function emailHtmlErrors(html: string): Promise<string[]> {
  const report = await emailHtmlValidator.validateString(html);
  return report.results.flatMap((result) =>
    result.messages.filter((message) => message.severity === 2).map((m) => `${m.ruleId}: ${m.message}`),
  );
}
