/**
 * The params of `path` under a route template such as `/api/shows/:id/queue/events` (matched as the
 * router does: literal segments case-insensitively, each param one segment, percent-decoded), or
 * undefined when it does not match.
 */
export function pathParams(template: string, path: string): Record<string, string> | undefined {
  const expected = template.split('/');
  const actual = path.split('/');
  if (expected.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < expected.length; i++) {
    const [want, got] = [expected[i]!, actual[i]!];
    if (want.startsWith(':')) {
      if (got === '') return undefined;
      params[want.slice(1)] = decoded(got);
    } else if (want.toLowerCase() !== got.toLowerCase()) return undefined;
  }
  return params;
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
