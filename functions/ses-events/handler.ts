/** Placeholder until SES event handling lands. */
export async function handler(): Promise<void> {}
