/** Requests a server's HTTP metrics count for `route` (its template) and `statusClass` (`2xx`), of `method` when given. */
export async function requestsCounted(base: string, route: string, statusClass: string, method?: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith('onsale_http_requests_total{') &&
        l.includes(`route="${route}"`) &&
        l.includes(`status_class="${statusClass}"`) &&
        (method === undefined || l.includes(`method="${method}"`)),
    );
  return Number(line?.split(' ').at(-1) ?? 0);
}
