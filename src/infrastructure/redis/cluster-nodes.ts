/** A Redis Cluster's seed nodes, and the user, password and TLS they share. */
export interface ClusterNodes {
  nodes: { host: string; port: number }[];
  username?: string;
  password?: string;
  tls: boolean;
}

/**
 * Reads REDIS_CLUSTER_NODES: `host:port,host:port` (any of the cluster's nodes; ioredis learns the
 * rest from CLUSTER SLOTS), or the same as URLs, `redis://[user:password@]host:port,…` or
 * `rediss://…` for TLS. One scheme and one user for all of them: they are one cluster.
 */
export function parseClusterNodes(value: string, password?: string): ClusterNodes {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error('REDIS_CLUSTER_NODES: name at least one host:port');
  const urls = entries.map((entry) => parseEntry(entry));
  const schemes = new Set(urls.map((url) => url.protocol));
  if (schemes.size > 1) throw new Error('REDIS_CLUSTER_NODES: mixes redis:// and rediss:// nodes');
  const first = urls[0]!;
  return {
    nodes: urls.map((url) => ({ host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 6379) })),
    username: first.username ? decodeURIComponent(first.username) : undefined,
    password: password ?? (first.password ? decodeURIComponent(first.password) : undefined),
    tls: first.protocol === 'rediss:',
  };
}

function parseEntry(entry: string): URL {
  const text = /^[a-z]+:\/\//i.test(entry) ? entry : `redis://${entry}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`REDIS_CLUSTER_NODES: ${JSON.stringify(withoutPassword(entry))} is not host:port`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new Error(`REDIS_CLUSTER_NODES: ${url.protocol}// is not redis:// or rediss://`);
  }
  if (!url.hostname || (url.pathname !== '' && url.pathname !== '/')) {
    throw new Error(`REDIS_CLUSTER_NODES: ${JSON.stringify(withoutPassword(entry))} is not host:port`);
  }
  return url;
}

function withoutPassword(entry: string): string {
  return entry.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
