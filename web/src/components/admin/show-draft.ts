import type { AdminShow } from '../../api/admin-types.js';

/** One section as the builder edits it: numbers as typed, the price in the currency's major units. */
export interface SectionDraft {
  id: string;
  name: string;
  rows: string;
  seatsPerRow: string;
  price: string;
  /** An aisle after each of these seat numbers (every row). */
  aisles: number[];
  /** `"<row>-<seat>"` */
  wheelchair: string[];
  companions: string[];
}

/** What the show builder's form holds; `showBody` and `saleChanges` turn it into what the API accepts. */
export interface ShowDraft {
  title: string;
  venue: string;
  /** `datetime-local` values (the admin's time zone). */
  startsAt: string;
  salesOpenAt: string;
  salesCloseAt: string;
  maxTicketsPerMember: string;
  currency: string;
  seating: 'sections' | 'general';
  sections: SectionDraft[];
  capacity: string;
  gaPrice: string;
  queueEnabled: boolean;
  admitPerSecond: string;
  maxActive: string;
}

export function newSection(index: number): SectionDraft {
  const id = String.fromCharCode(65 + (index % 26)) + (index >= 26 ? String(Math.floor(index / 26)) : '');
  return { id, name: '', rows: '5', seatsPerRow: '10', price: '', aisles: [], wheelchair: [], companions: [] };
}

/** The section "Add a section" makes: the first letter (A, B, … A1, …) no section has yet. */
export function nextSection(sections: SectionDraft[]): SectionDraft {
  const taken = new Set(sections.map((s) => String(s.id).trim().toUpperCase()));
  let index = sections.length;
  for (let i = 0; i <= sections.length; i++) {
    if (!taken.has(newSection(i).id)) {
      index = i;
      break;
    }
  }
  return newSection(index);
}

export function emptyDraft(): ShowDraft {
  return {
    title: '',
    venue: '',
    startsAt: '',
    salesOpenAt: '',
    salesCloseAt: '',
    maxTicketsPerMember: '4',
    currency: 'KRW',
    seating: 'sections',
    sections: [newSection(0)],
    capacity: '',
    gaPrice: '',
    queueEnabled: false,
    admitPerSecond: '20',
    maxActive: '200',
  };
}

/** Digits after the point in the currency (KRW 0, EUR 2); 2 for a code Intl does not know. */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

// v-model on a number input gives numbers once typed in: every field is read through `text`
const text = (value: string | number) => String(value ?? '').trim();
const toMinor = (major: string, currency: string) =>
  text(major) === '' ? NaN : Math.round(Number(major) * 10 ** currencyDigits(currency));
const toMajor = (minor: number, currency: string) => String(minor / 10 ** currencyDigits(currency));
// an empty or unreadable number goes as null: the API names the field
const toNumber = (value: string) => (text(value) === '' ? null : Number(value));
const finite = (value: number) => (Number.isFinite(value) ? value : null);

/** An ISO instant as a `datetime-local` value in this browser's zone. */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/** A `datetime-local` value as an ISO instant; undefined when empty, as typed when unreadable (the API says why). */
export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

/** The body of `POST /api/shows`. */
export function showBody(draft: ShowDraft): Record<string, unknown> {
  const seating =
    draft.seating === 'sections'
      ? { sections: draft.sections.map((section) => sectionBody(section, draft.currency)) }
      : { generalAdmission: { capacity: toNumber(draft.capacity), price: finite(toMinor(draft.gaPrice, draft.currency)) } };
  return {
    title: draft.title,
    venue: draft.venue,
    startsAt: fromLocalInput(draft.startsAt),
    salesOpenAt: fromLocalInput(draft.salesOpenAt),
    salesCloseAt: fromLocalInput(draft.salesCloseAt),
    maxTicketsPerMember: toNumber(draft.maxTicketsPerMember),
    currency: text(draft.currency).toUpperCase(),
    seating,
    queue: queueBody(draft),
  };
}

function sectionBody(section: SectionDraft, currency: string): Record<string, unknown> {
  const optional = (name: string, list: unknown[]) => (list.length > 0 ? { [name]: list } : {});
  return {
    id: text(section.id),
    name: text(section.name) === '' ? text(section.id) : section.name,
    rows: toNumber(section.rows),
    seatsPerRow: toNumber(section.seatsPerRow),
    price: finite(toMinor(section.price, currency)),
    ...optional(
      'aisles',
      [...section.aisles].sort((a, b) => a - b),
    ),
    ...optional('wheelchair', section.wheelchair),
    ...optional('companions', section.companions),
  };
}

const queueBody = (draft: ShowDraft) => ({
  enabled: draft.queueEnabled,
  admitPerSecond: toNumber(draft.admitPerSecond),
  maxActive: toNumber(draft.maxActive),
});

/** The body of `PATCH /api/shows/:id`: only what the admin changed (a time kept as it was is not sent again). */
export function saleChanges(draft: ShowDraft, before: ShowDraft): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  const changed = (a: string | number, b: string | number) => text(a) !== text(b);
  if (draft.salesOpenAt !== before.salesOpenAt) changes.salesOpenAt = fromLocalInput(draft.salesOpenAt) ?? null;
  if (draft.salesCloseAt !== before.salesCloseAt) changes.salesCloseAt = fromLocalInput(draft.salesCloseAt) ?? null;
  if (changed(draft.maxTicketsPerMember, before.maxTicketsPerMember)) changes.maxTicketsPerMember = toNumber(draft.maxTicketsPerMember);
  const queueChanged =
    draft.queueEnabled !== before.queueEnabled ||
    changed(draft.admitPerSecond, before.admitPerSecond) ||
    changed(draft.maxActive, before.maxActive);
  if (queueChanged) changes.queue = queueBody(draft);
  return changes;
}

/** A scheduled show as the builder shows it (the edit page). */
export function draftOf(show: AdminShow): ShowDraft {
  const seating = show.seating as { sections?: Record<string, any>[]; generalAdmission?: { capacity: number; price: number } };
  return {
    title: show.title,
    venue: show.venue,
    startsAt: toLocalInput(show.startsAt),
    salesOpenAt: toLocalInput(show.salesOpenAt),
    salesCloseAt: toLocalInput(show.salesCloseAt),
    maxTicketsPerMember: String(show.maxTicketsPerMember ?? ''),
    currency: show.currency,
    seating: seating.sections ? 'sections' : 'general',
    sections: (seating.sections ?? []).map((s) => ({
      id: String(s.id),
      name: String(s.name),
      rows: String(s.rows),
      seatsPerRow: String(s.seatsPerRow),
      price: toMajor(Number(s.price), show.currency),
      // copies: the show may be a reactive proxy, which structuredClone refuses
      aisles: [...((s.aisles as number[] | undefined) ?? [])],
      wheelchair: [...((s.wheelchair as string[] | undefined) ?? [])],
      companions: [...((s.companions as string[] | undefined) ?? [])],
    })),
    capacity: String(seating.generalAdmission?.capacity ?? ''),
    gaPrice: seating.generalAdmission ? toMajor(seating.generalAdmission.price, show.currency) : '',
    queueEnabled: show.queue.enabled,
    admitPerSecond: String(show.queue.admitPerSecond),
    maxActive: String(show.queue.maxActive),
  };
}
