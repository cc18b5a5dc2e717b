// Zod's messages in the caller's language. A ZodError is built once, before anyone knows who will read it,
// and its issues drop the parsed input, which zod's invalid_type message needs ("received number"). So while
// parsing, a global hook renders each issue that falls back to zod's own wording in every locale we serve and
// keeps the texts on the issue; at mapping time the caller's one is picked. A message a schema sets itself
// ({ message: 'invalid_phone' }) is not zod's wording: it names `zod.<message>` in the server messages when
// that key exists, and is otherwise shown as written.
import { z } from 'zod';
import { messageTemplate, t, type Locale } from './messages.ts';

// Each locale's error map built once, not per issue.
const zhCN = z.locales.zhCN();
const en = z.locales.en();
const localeErrors: Record<Locale, (issue: z.core.$ZodRawIssue) => string | undefined> = {
  'zh-CN': (issue) => messageOf(zhCN.localeError(issue)),
  en: (issue) => messageOf(en.localeError(issue)),
};

function messageOf(m: string | { message: string } | undefined | null): string | undefined {
  return typeof m === 'string' ? m : (m?.message ?? undefined);
}

/** Own key on the raw issue; zod copies it onto the issue it finalizes. */
const LOCALIZED = 'localizedMessages';

/** Installs the parse-time hook; idempotent, called by whoever maps ZodErrors (src/http/errors.ts). */
export function installZodLocales(): void {
  z.config({
    customError: (issue) => {
      const texts: Partial<Record<Locale, string>> = {};
      for (const locale of Object.keys(localeErrors) as Locale[]) texts[locale] = localeErrors[locale](issue);
      (issue as unknown as Record<string, unknown>)[LOCALIZED] = texts;
      return undefined; // zod goes on to its own (English) wording, which stays the issue's `message`.
    },
  });
}

/** An issue as zod finalized it (a ZodError's, or the `params` fastify-type-provider-zod keeps of one). */
interface FinalIssue {
  message: string;
  [LOCALIZED]?: unknown;
}

export function zodIssueMessage(issue: FinalIssue, locale: Locale): string {
  const texts = issue[LOCALIZED];
  if (texts && typeof texts === 'object') {
    const text = (texts as Partial<Record<Locale, unknown>>)[locale];
    if (typeof text === 'string') return text;
  }
  const key = `zod.${issue.message}`;
  return messageTemplate(locale, key) !== undefined ? t(locale, key) : issue.message;
}
