/**
 * Registers the scanner's service worker (`/scan-sw.js`, scope `/scan`) and hands it the files
 * this page was loaded from, so that the scanner also starts without a network. Resolves to true
 * once they are kept; false where service workers are missing (plain http other than localhost).
 */
export async function keepScannerOffline(): Promise<boolean> {
  if (!('serviceWorker' in navigator)) return false;
  try {
    await navigator.serviceWorker.register('/scan-sw.js', { scope: '/scan' });
    const ready = await navigator.serviceWorker.ready;
    const urls = performance
      .getEntriesByType('resource')
      .map((entry) => entry.name)
      .filter((name) => new URL(name).pathname.startsWith('/assets/') || name.endsWith('.svg'));
    return await new Promise<boolean>((resolve) => {
      const kept = (event: MessageEvent) => {
        if ((event.data as { type?: string })?.type !== 'kept') return;
        navigator.serviceWorker.removeEventListener('message', kept);
        resolve(true);
      };
      navigator.serviceWorker.addEventListener('message', kept);
      ready.active?.postMessage({ type: 'keep', urls });
      setTimeout(() => resolve(false), 10_000);
    });
  } catch {
    return false;
  }
}
