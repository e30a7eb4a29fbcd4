import { onBeforeUnmount, onMounted } from 'vue';

/**
 * Runs `task` now and every `intervalMs` while the component lives, skipping while the tab is
 * hidden (and catching up when it shows again). One run at a time; failures wait for the next tick.
 */
export function usePolling(task: () => Promise<void>, intervalMs: number): { refresh: () => Promise<void> } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const refresh = async () => {
    if (running) return running;
    running = task()
      .catch(() => undefined)
      .finally(() => (running = undefined));
    return running;
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(async () => {
      if (!document.hidden) await refresh();
      schedule();
    }, intervalMs);
  };
  const onVisible = () => {
    if (!document.hidden) void refresh();
  };

  onMounted(() => {
    void refresh();
    schedule();
    document.addEventListener('visibilitychange', onVisible);
  });
  onBeforeUnmount(() => {
    stopped = true;
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisible);
  });
  return { refresh };
}
