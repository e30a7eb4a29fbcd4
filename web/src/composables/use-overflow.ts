import { onBeforeUnmount, onMounted, reactive, type Ref } from 'vue';

/** Whether an element scrolls sideways, and whether there is more to see on its left and right. */
export function useOverflow(element: Ref<HTMLElement | undefined>): { wider: boolean; left: boolean; right: boolean } {
  const state = reactive({ wider: false, left: false, right: false });
  const measure = () => {
    const el = element.value;
    if (!el) return;
    state.wider = el.scrollWidth > el.clientWidth + 1;
    state.left = el.scrollLeft > 1;
    state.right = el.scrollLeft + el.clientWidth < el.scrollWidth - 1;
  };
  let observer: ResizeObserver | undefined;
  onMounted(() => {
    const el = element.value;
    if (!el) return;
    el.addEventListener('scroll', measure, { passive: true });
    observer = new ResizeObserver(measure);
    observer.observe(el);
    // the observer reports every element's size once it is laid out (the next frame): measuring here
    // would lay the page out inside the task that mounts it, a long one on a large seat map
    for (const child of Array.from(el.children)) observer.observe(child);
  });
  onBeforeUnmount(() => {
    observer?.disconnect();
    element.value?.removeEventListener('scroll', measure);
  });
  return state;
}
