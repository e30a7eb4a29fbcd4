import type { DoorList, Scan } from './door-check.js';

/** The scanner's IndexedDB: door lists by show, and this device's scans (the offline queue among them). */
const DB = 'onsale-door';
let opened: Promise<IDBDatabase> | undefined;

function open(): Promise<IDBDatabase> {
  opened ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore('lists', { keyPath: 'showId' });
      request.result.createObjectStore('scans', { keyPath: 'id' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return opened;
}

async function run<T>(store: 'lists' | 'scans', mode: IDBTransactionMode, act: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(store, mode);
    const request = act(transaction.objectStore(store));
    // resolve once the write is durable, not merely requested
    transaction.oncomplete = () => resolve(request.result);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}

export const doorStore = {
  saveList: (list: DoorList) => run('lists', 'readwrite', (s) => s.put(list)).then(() => undefined),
  list: (showId: string) => run<DoorList | undefined>('lists', 'readonly', (s) => s.get(showId) as IDBRequest<DoorList | undefined>),
  saveScan: (scan: Scan) => run('scans', 'readwrite', (s) => s.put(scan)).then(() => undefined),
  /** Every scan of this device, oldest first. */
  scans: async (): Promise<Scan[]> =>
    (await run<Scan[]>('scans', 'readonly', (s) => s.getAll() as IDBRequest<Scan[]>)).sort((a, b) =>
      a.scannedAt.localeCompare(b.scannedAt),
    ),
};
