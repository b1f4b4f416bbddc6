// Every word the console shows comes from en.json, ru.json or kk.json. English is the key set:
// the type below makes `tsc` refuse a Russian or Kazakh file that lacks a key, and
// scripts/check-i18n.mjs refuses extra or empty ones.
import en from './en.json';
import kk from './kk.json';
import ru from './ru.json';

export type Key = keyof typeof en;
export type Lang = 'kk' | 'ru' | 'en';
export const LANGS: Lang[] = ['kk', 'ru', 'en'];

const dictionaries: Record<Lang, Record<Key, string>> = { en, ru, kk };
const locales: Record<Lang, string> = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' };

/** Everyone reads times as the duty room does: in Almaty. */
export const TIME_ZONE = 'Asia/Almaty';

let current: Lang = initialLang();
const listeners = new Set<() => void>();

function initialLang(): Lang {
  const saved = localStorage.getItem('iz.lang');
  if (saved === 'kk' || saved === 'ru' || saved === 'en') return saved;
  const browser = (navigator.language || '').slice(0, 2);
  return browser === 'ru' || browser === 'en' ? browser : 'kk';
}

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang) {
  current = next;
  localStorage.setItem('iz.lang', next);
  document.documentElement.lang = next;
  listeners.forEach((f) => f());
}

export function onLangChange(f: () => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

/** The text for `key`, with `{name}` placeholders filled from `vars`. */
export function t(key: Key, vars?: Record<string, string | number>): string {
  const text = dictionaries[current][key] ?? dictionaries.en[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

/** A key that is known only at run time (an enum value from the server): the raw value if untranslated. */
export function tOr(key: string, fallback: string): string {
  return key in dictionaries.en ? t(key as Key) : fallback;
}

function formatter(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(locales[current], { timeZone: TIME_ZONE, ...options });
}

/** A date and time in Almaty, e.g. 25.11.2026, 14:03:12. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return formatter({ dateStyle: 'short', timeStyle: 'medium' }).format(d);
}

/** A date in Almaty. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return formatter({ dateStyle: 'medium' }).format(d);
}

/** A short axis label: the hour or the day, in Almaty. */
export function formatTick(iso: string, bucket: 'hour' | 'day'): string {
  const options: Intl.DateTimeFormatOptions =
    bucket === 'hour' ? { hour: '2-digit', minute: '2-digit' } : { day: '2-digit', month: '2-digit' };
  return formatter(options).format(new Date(iso));
}

export function formatNumber(n: number, digits = 0): string {
  return new Intl.NumberFormat(locales[current], { maximumFractionDigits: digits }).format(n);
}

/** Almaty wall-clock `YYYY-MM-DDTHH:MM` (from a datetime-local input) as an RFC 3339 instant. */
export function almatyToInstant(local: string): string {
  // Kazakhstan keeps one offset all year (UTC+5 since March 2024).
  return new Date(local + ':00+05:00').toISOString();
}
