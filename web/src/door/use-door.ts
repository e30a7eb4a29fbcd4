import { computed, onBeforeUnmount, onMounted, ref, watch } from 'vue';
import { api } from '../api/client.js';
import { ApiError } from '../api/http.js';
import { refusalOffline, type DoorList, type Scan } from './door-check.js';
import { doorStore } from './door-store.js';
import { syncScans } from './sync-scans.js';
import { parseTicketCode } from './ticket-code.js';
import { verifySignature } from './verify-signature.js';

export type ScanResult =
  | { ok: true; seat: string; ticketId: string; queued: boolean; at: number }
  | { ok: false; seat?: string; code: string; gate?: string; checkedInAt?: string; at: number };

const SYNC_EVERY_MS = 5000;
const remembered = (key: string) => localStorage.getItem(`onsale.door.${key}`) ?? '';

/**
 * The door scanner's state: the show and gate, the kept door list, this device's scans, and the
 * offline queue, synced when the network is back (on `online` and every 5 s while scans wait).
 */
export function useDoor() {
  const showId = ref(remembered('show'));
  const gate = ref(remembered('gate'));
  const list = ref<DoorList>();
  const scans = ref<Scan[]>([]);
  const online = ref(navigator.onLine);
  const syncing = ref(false);
  const result = ref<ScanResult>();

  const queued = computed(() => scans.value.filter((scan) => scan.state === 'queued' && scan.showId === showId.value));
  const conflicts = computed(() => scans.value.filter((scan) => scan.state === 'conflict' && scan.showId === showId.value));

  watch(showId, (id) => {
    localStorage.setItem('onsale.door.show', id);
    void loadList();
  });
  watch(gate, (name) => localStorage.setItem('onsale.door.gate', name.trim()));

  /** The show's list from the server when it answers, else the one kept on this device. */
  async function loadList(): Promise<void> {
    if (!showId.value) return;
    try {
      const fresh = await api.doorList(showId.value);
      await doorStore.saveList(fresh);
      list.value = fresh;
    } catch {
      list.value = await doorStore.list(showId.value);
    }
  }

  async function record(scan: Scan): Promise<void> {
    await doorStore.saveScan(scan);
    scans.value = await doorStore.scans();
  }

  async function scan(raw: string): Promise<ScanResult> {
    const at = Date.now();
    const scanned = parseTicketCode(raw);
    if (!scanned) return (result.value = { ok: false, code: 'TICKET.MALFORMED', at });
    const kept = list.value;
    if (kept) {
      const valid = await verifySignature(scanned, kept.keys);
      const refusal = refusalOffline(scanned, valid, showId.value, kept, scans.value);
      // A key this device does not know yet may be new: the server can still say.
      if (refusal && !(refusal.code === 'TICKET.UNKNOWN_KEY' && online.value)) {
        return (result.value = { ok: false, seat: scanned.seat, at, ...refusal });
      }
    }
    const entry: Scan = {
      id: `${scanned.ticketId}@${new Date(at).toISOString()}`,
      code: scanned.code,
      ticketId: scanned.ticketId,
      showId: showId.value,
      seat: scanned.seat,
      gate: gate.value.trim(),
      scannedAt: new Date(at).toISOString(),
      state: 'queued',
    };
    if (online.value) {
      try {
        await api.checkIn({ code: entry.code, gate: entry.gate, showId: entry.showId });
        await record({ ...entry, state: 'synced' });
        return (result.value = { ok: true, seat: scanned.seat, ticketId: scanned.ticketId, queued: false, at });
      } catch (error) {
        if (error instanceof ApiError && error.status !== 0 && error.status < 500) {
          const { gate: usedAt, checkedInAt } = error.problem as { gate?: string; checkedInAt?: string };
          return (result.value = { ok: false, seat: scanned.seat, code: error.code, gate: usedAt, checkedInAt, at });
        }
        // no answer: decided here, on what this device knows, and queued
      }
    }
    if (!kept) return (result.value = { ok: false, seat: scanned.seat, code: 'DOOR.NO_LIST', at });
    await record(entry);
    return (result.value = { ok: true, seat: scanned.seat, ticketId: scanned.ticketId, queued: true, at });
  }

  async function sync(): Promise<void> {
    if (syncing.value || queued.value.length === 0) return;
    syncing.value = true;
    try {
      const done = await syncScans(
        queued.value,
        // the scan's own time: the server records when the door admitted it
        (s) => api.checkIn({ code: s.code, gate: s.gate, showId: s.showId, scannedAt: s.scannedAt }),
        (s) => doorStore.saveScan(s),
      );
      // A green "admitted offline" still on screen for a ticket the server refused would mislead: the conflicts list says it now.
      const shown = result.value;
      if (shown?.ok && done.some((s) => s.state === 'conflict' && s.ticketId === shown.ticketId)) result.value = undefined;
      scans.value = await doorStore.scans();
      await loadList();
    } finally {
      syncing.value = false;
    }
  }

  const wentOnline = () => {
    online.value = true;
    void sync();
  };
  const wentOffline = () => (online.value = false);
  let timer: ReturnType<typeof setInterval> | undefined;
  onMounted(async () => {
    window.addEventListener('online', wentOnline);
    window.addEventListener('offline', wentOffline);
    scans.value = await doorStore.scans();
    await loadList();
    timer = setInterval(() => online.value && void sync(), SYNC_EVERY_MS);
  });
  onBeforeUnmount(() => {
    window.removeEventListener('online', wentOnline);
    window.removeEventListener('offline', wentOffline);
    clearInterval(timer);
  });

  return { showId, gate, list, scans, online, syncing, result, queued, conflicts, scan, sync, loadList };
}
