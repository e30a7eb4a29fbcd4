import { onBeforeUnmount, ref, watchEffect } from 'vue';

/** The title a page asked for (a show's name, "Booked!"); undefined falls back to its route's. */
export const pageTitle = ref<string>();

/** Keeps the tab title on what the page says now, in the buyer's language, while the page is shown. */
export function usePageTitle(source: () => string | undefined): void {
  const stop = watchEffect(() => (pageTitle.value = source()));
  // The old page is unmounted before the next one is set up (App's RouterView is keyed by path).
  onBeforeUnmount(() => {
    stop();
    pageTitle.value = undefined;
  });
}
