import { InvalidShow } from './catalog.errors.js';
import type { SectionSpec } from './show.events.js';

const SEAT_KEY = /^([1-9][0-9]{0,3})-([1-9][0-9]{0,3})$/;

/** Checks what the schema cannot: seats, aisles and the focal point inside the section. */
export function checkSectionLayout(spec: SectionSpec, index: number): void {
  const at = `seating.sections[${index}]`;
  const inside = (field: string, keys: string[], name = (i: number) => `${at}.${field}[${i}]`) => {
    keys.forEach((key, i) => {
      const match = SEAT_KEY.exec(key);
      if (!match || Number(match[1]) > spec.rows || Number(match[2]) > spec.seatsPerRow) {
        throw new InvalidShow(`${name(i)}: ${key} is not a seat "<row>-<seat>" of this section`, name(i));
      }
    });
  };
  inside('wheelchair', spec.wheelchair ?? []);
  inside('companions', spec.companions ?? []);
  inside('blocked', spec.blocked ?? []);
  const qualityKeys = Object.keys(spec.seatQuality ?? {});
  inside('seatQuality', qualityKeys, (i) => `${at}.seatQuality.${qualityKeys[i]}`);
  const wheelchair = new Set(spec.wheelchair ?? []);
  const both = (spec.companions ?? []).findIndex((key) => wheelchair.has(key));
  if (both >= 0)
    throw new InvalidShow(
      `${at}.companions[${both}]: a seat is a wheelchair place or a companion seat, not both`,
      `${at}.companions[${both}]`,
    );
  checkBlocked(spec, at);
  (spec.aisles ?? []).forEach((n, i) => {
    if (!Number.isInteger(n) || n < 1 || n >= spec.seatsPerRow) {
      throw new InvalidShow(`${at}.aisles[${i}]: an aisle follows a seat from 1 to ${spec.seatsPerRow - 1}`, `${at}.aisles[${i}]`);
    }
  });
  const focal = spec.focal;
  if (focal && (focal.row < 0 || focal.row > spec.rows + 1 || focal.seat < 0 || focal.seat > spec.seatsPerRow + 1)) {
    throw new InvalidShow(`${at}.focal: the focal point must lie within the section or at its edge`, `${at}.focal`);
  }
}

/** A blocked seat is named once, is not also an accessible place, and leaves the section a seat. */
function checkBlocked(spec: SectionSpec, at: string): void {
  const blocked = spec.blocked ?? [];
  const accessible = new Set([...(spec.wheelchair ?? []), ...(spec.companions ?? [])]);
  const seen = new Set<string>();
  blocked.forEach((key, i) => {
    const field = `${at}.blocked[${i}]`;
    if (seen.has(key)) throw new InvalidShow(`${field}: seat ${key} is blocked twice`, field);
    if (accessible.has(key)) throw new InvalidShow(`${field}: seat ${key} is an accessible place; a seat left out is neither`, field);
    seen.add(key);
  });
  if (seen.size >= spec.rows * spec.seatsPerRow) throw new InvalidShow(`${at}.blocked: a section keeps at least one seat`, `${at}.blocked`);
}
