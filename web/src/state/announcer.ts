import { ref } from 'vue';

/** Text for the page's polite live region: what changed without the buyer doing anything. */
export const announcement = ref('');

export function announce(text: string): void {
  // Clearing first makes screen readers repeat a message that happens to be the same again.
  announcement.value = '';
  setTimeout(() => (announcement.value = text), 50);
}
