/**
 * Moves keyboard and screen-reader focus to the page's main heading, waiting (up to `timeoutMs`)
 * for a page that draws it only once its data has come.
 */
export function focusHeading(timeoutMs = 5000): Promise<boolean> {
  const find = () => document.querySelector<HTMLElement>('main h1');
  const focus = (heading: HTMLElement) => {
    if (!heading.hasAttribute('tabindex')) heading.tabIndex = -1;
    heading.focus();
    return true;
  };
  const now = find();
  if (now) return Promise.resolve(focus(now));
  return new Promise((resolve) => {
    const main = document.querySelector('main') ?? document.body;
    const observer = new MutationObserver(() => {
      const heading = find();
      if (!heading) return;
      done();
      resolve(focus(heading));
    });
    const timer = setTimeout(() => {
      done();
      resolve(false);
    }, timeoutMs);
    const done = () => {
      observer.disconnect();
      clearTimeout(timer);
    };
    observer.observe(main, { childList: true, subtree: true });
  });
}
