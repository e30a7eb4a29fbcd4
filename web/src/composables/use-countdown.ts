import { computed, onBeforeUnmount, ref, type Ref } from 'vue';
import { serverNow } from '../api/http.js';

/** Seconds left until `deadline` (ISO), by the server's clock, ticking every second. */
export function useCountdown(deadline: Ref<string | undefined>) {
  const now = ref(serverNow());
  const timer = setInterval(() => (now.value = serverNow()), 250);
  onBeforeUnmount(() => clearInterval(timer));
  const secondsLeft = computed(() => {
    const end = deadline.value ? Date.parse(deadline.value) : NaN;
    return Number.isFinite(end) ? Math.max(0, Math.ceil((end - now.value) / 1000)) : 0;
  });
  const clock = computed(() => {
    const s = secondsLeft.value;
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  });
  return { secondsLeft, clock, expired: computed(() => secondsLeft.value <= 0) };
}
