import cluster from 'node:cluster';
import Koa from 'koa';

// The yardstick: the least a Koa route can do, on as many processes as the server under test.
const workers = Number(process.env.WORKERS ?? 1);
if (cluster.isPrimary && workers > 1) {
  for (let i = 0; i < workers; i++) cluster.fork();
  let listening = 0;
  cluster.on('listening', () => ++listening === workers && console.log('all workers listening'));
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill();
    process.exit(0);
  });
} else {
  const app = new Koa();
  app.use((ctx) => {
    ctx.body = { status: 'live' };
  });
  const server = app.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
  server.keepAliveTimeout = 65_000;
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
