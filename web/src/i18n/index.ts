import { computed, ref } from 'vue';
import { ApiError } from '../api/http.js';
import { en } from './en.js';
import { ko } from './ko.js';

export type Locale = 'ko' | 'en';
export type MessageKey = keyof typeof ko;

const catalogues: Record<Locale, Record<MessageKey, string>> = { ko, en };
const STORAGE_KEY = 'onsale.locale';

// Typed and guarded without the DOM, so that the messages can be tested in Node as well.
const browser = globalThis as {
  localStorage?: { getItem(key: string): string | null; setItem(key: string, value: string): void };
  document?: { documentElement: { lang: string } };
};
const storage = browser.localStorage;

function initialLocale(): Locale {
  const saved = storage?.getItem(STORAGE_KEY);
  return saved === 'en' || saved === 'ko' ? saved : 'ko';
}

/** The buyer's language: Korean first, English on request; remembered on this device. */
export const locale = ref<Locale>(initialLocale());
if (browser.document) browser.document.documentElement.lang = locale.value;

export function setLocale(next: Locale): void {
  locale.value = next;
  storage?.setItem(STORAGE_KEY, next);
  if (browser.document) browser.document.documentElement.lang = next;
}

export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = catalogues[locale.value][key] ?? ko[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
}

export function hasMessage(key: string): key is MessageKey {
  return key in ko;
}

const intlLocale = computed(() => (locale.value === 'ko' ? 'ko-KR' : 'en-GB'));

// Building a NumberFormat costs far more than using one: a seat map prices thousands of seats.
const priceFormats = new Map<string, Intl.NumberFormat>();
function priceFormat(currency: string): Intl.NumberFormat {
  const key = `${intlLocale.value} ${currency}`;
  let format = priceFormats.get(key);
  if (!format) priceFormats.set(key, (format = new Intl.NumberFormat(intlLocale.value, { style: 'currency', currency })));
  return format;
}

/** Formats a price given in minor units (cents, or won for KRW) in the show's currency. */
export function formatPrice(minorUnits: number, currency: string): string {
  const format = priceFormat(currency);
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minorUnits / 10 ** digits);
}

export function formatDate(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(intlLocale.value, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** Date and time to the second (histories: events a moment apart). */
export function formatInstant(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(intlLocale.value, { dateStyle: 'short', timeStyle: 'medium' }).format(date);
}

export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  if (seconds < 60) return t('common.seconds', { n: seconds });
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return s === 0 ? t('common.minutes', { n: m }) : t('common.minutesSeconds', { m, s });
}

/** An API failure in the buyer's words: by problem `code` (and its details), else by HTTP status. */
export function problemMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return t('error.status.500');
  const params: Record<string, string | number> = {
    wait: error.retryAfterSeconds ? formatDuration(error.retryAfterSeconds) : t('error.wait.soon'),
  };
  for (const [name, value] of Object.entries(error.problem)) {
    if (typeof value === 'number' || (typeof value === 'string' && name !== 'detail')) params[name] = value;
    if (Array.isArray(value)) params[name] = value.join(', ');
  }
  // A message needing details the answer did not give falls through to the next candidate.
  for (const key of [`error.${error.code}`, `error.${error.code}.alt`]) {
    if (hasMessage(key) && !t(key, params).includes('{')) return t(key, params);
  }
  const statusKey = `error.status.${error.status >= 500 && error.status !== 503 ? 500 : error.status}`;
  if (hasMessage(statusKey)) return t(statusKey, params);
  return error.status === 0 ? t('error.NETWORK') : t('error.status.500');
}
