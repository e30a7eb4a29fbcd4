import type { InventoryPart } from '../catalog/show-layout.js';
import { initialInventory, poolAvailable, type InventoryState } from '../booking/inventory.state.js';

/** Tickets nobody holds or bought at `now`, over the show's inventory parts (a hold past its deadline counts as free). */
export function ticketsOnSale(parts: InventoryPart[], inventory: Map<string, InventoryState>, now: number): number {
  let free = 0;
  for (const part of parts) {
    const state = inventory.get(part.part) ?? initialInventory();
    if (part.kind === 'pool') {
      free += Math.max(0, poolAvailable(state, part.capacity!, now));
      continue;
    }
    let taken = 0;
    for (const claim of state.seats.values()) if (claim.sold || claim.expiresAt > now) taken++;
    free += part.rows! * part.seatsPerRow! - taken;
  }
  return free;
}
