import type Router from '@koa/router';

type Match = ReturnType<Router['match']>;

/**
 * Makes a router remember what each method and path matched, so that a path asked again (every
 * poll of a show's queue) is not tested against every route's pattern: @koa/router tests them all,
 * and logs each test through `debug`, on every request. Call once every route is registered (the
 * routes are fixed from then on). Past `capacity` keys, everything is forgotten at once.
 */
export function rememberMatches(router: Router, capacity = 10_000): void {
  const matches = new Map<string, Match>();
  const match = router.match.bind(router);
  router.match = (path: string, method: string): Match => {
    const key = `${method} ${path}`;
    let found = matches.get(key);
    if (!found) {
      if (matches.size >= capacity) matches.clear();
      matches.set(key, (found = match(path, method)));
    }
    // the router keeps `path` as ctx.matched, which another router after it would extend
    return { path: [...found.path], pathAndMethod: found.pathAndMethod, route: found.route };
  };
}
