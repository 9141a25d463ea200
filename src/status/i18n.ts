/** The page's languages: Dutch first (most Venice offices), English, French. */
export const LANGUAGES = ['nl', 'en', 'fr'] as const;
export type Lang = (typeof LANGUAGES)[number];

export const DEFAULT_LANG: Lang = 'nl';

/** One module's texts in every language; Dutch is complete, the others fall back to it per key. */
export type Messages<K extends string> = { nl: Record<K, string> } & { [L in Exclude<Lang, 'nl'>]?: Partial<Record<K, string>> };

export type Translate<K extends string> = (key: K, params?: Record<string, string | number>) => string;

/** A translator for one module's texts: `{name}` placeholders are filled from `params`. */
export function translator<K extends string>(messages: Messages<K>, lang: Lang): Translate<K> {
  return (key, params = {}) => {
    const text = messages[lang]?.[key] ?? messages.nl[key];
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
  };
}

export function isLang(value: string | null | undefined): value is Lang {
  return (LANGUAGES as readonly string[]).includes(value ?? '');
}

/** The language asked for: the cookie, else the browser's Accept-Language, else Dutch. */
export function pickLang(cookie: string | undefined, acceptLanguage: string | undefined): Lang {
  if (isLang(cookie)) return cookie;
  for (const entry of (acceptLanguage ?? '').split(',')) {
    const code = entry.trim().slice(0, 2).toLowerCase();
    if (isLang(code)) return code;
  }
  return DEFAULT_LANG;
}
