import { PERSONAL_FIELDS, type MemberEvent } from '../../domain/members/members.events.js';
import type { PersonalDataVault } from './members.ports.js';

export interface StoredMemberEvent {
  type: string;
  data: unknown;
}

/** Moves an event's personal fields into one `personal` field, sealed with the member's key. */
export async function sealMemberEvent(event: MemberEvent, vault: Pick<PersonalDataVault, 'seal'>): Promise<StoredMemberEvent> {
  const fields = PERSONAL_FIELDS[event.type];
  if (fields.length === 0) return { type: event.type, data: event.data };
  const data: Record<string, unknown> = { ...event.data };
  const personal: Record<string, unknown> = {};
  for (const field of fields) {
    personal[field] = data[field];
    delete data[field];
  }
  data.personal = await vault.seal(event.data.memberId, personal);
  return { type: event.type, data };
}

export interface OpenedMemberEvent {
  event: MemberEvent;
  /** True when the member's key is gone: the personal fields are empty strings. */
  forgotten: boolean;
}

/** The inverse of `sealMemberEvent`; a destroyed key leaves the personal fields empty. */
export async function openMemberEvent(stored: StoredMemberEvent, vault: Pick<PersonalDataVault, 'open'>): Promise<OpenedMemberEvent> {
  const type = stored.type as MemberEvent['type'];
  const fields = PERSONAL_FIELDS[type];
  if (!fields) throw new Error(`Not a member event: ${stored.type}`);
  const { personal, ...rest } = stored.data as Record<string, unknown> & { memberId: string; personal?: string };
  if (fields.length === 0) return { event: { type, data: rest } as MemberEvent, forgotten: false };
  const opened = typeof personal === 'string' ? await vault.open(rest.memberId, personal) : undefined;
  const restored = Object.fromEntries(fields.map((field) => [field, opened?.[field] ?? '']));
  return { event: { type, data: { ...rest, ...restored } } as MemberEvent, forgotten: opened === undefined };
}
