import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context, Middleware, Next } from 'koa';
import serve from 'koa-static';
import type { Logger } from '../logging/logger.js';

const NOT_SPA = /^\/(api|health|metrics)(\/|$)/;

/**
 * Where the built web front end is: WEB_DIR when set, else `web/dist` of this package (found from
 * this file whether it runs from `src/` with tsx or from `dist/src/` after the build).
 */
export function findWebDir(configured?: string): string | undefined {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const candidates = configured ? [resolve(configured)] : [resolve(here, '../../../web/dist'), resolve(here, '../../../../web/dist')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}

/**
 * Serves the web front end: hashed assets cached for good, index.html for every page route and
 * never cached, each file as its `.br` or `.gz` twin (written by the build) when the browser takes it.
 */
export function staticWeb(dir: string): Middleware[] {
  const files = serve(dir, {
    index: 'index.html',
    brotli: true,
    gzip: true,
    setHeaders: (res, path) => {
      const immutable = /[\\/]assets[\\/]/.test(path);
      res.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      res.setHeader('Vary', 'Accept-Encoding');
    },
  });
  const web = async (ctx: Context, next: Next) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || NOT_SPA.test(ctx.path)) return next();
    ctx.state.servedByWeb = true; // one metrics label for every page and asset
    await files(ctx, async () => {
      // A path with a file extension is a missing file; any other path is a page of the app.
      if (/\.[a-z0-9]+$/i.test(ctx.path)) return next();
      ctx.path = '/index.html';
      await files(ctx, next);
    });
  };
  return [web];
}

/** The front end's middleware for `createApp`'s fallback; none (with a warning) when it is not built. */
export function webFrontEnd(configuredDir: string | undefined, logger: Logger): Middleware[] {
  const dir = findWebDir(configuredDir);
  if (!dir) {
    logger.warn({ webDir: configuredDir ?? 'web/dist' }, 'web front end not built (npm run build:web): serving the API only');
    return [];
  }
  return staticWeb(dir);
}
