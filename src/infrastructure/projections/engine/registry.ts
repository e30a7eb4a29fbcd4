import type { Projection } from '../../../projections/projection.js';
import { checkProjectionNames, liveTableName, allLogicalTables } from '../../../projections/table-names.js';

/** The projections of this deployment, checked once: valid names, no table owned twice. */
export class ProjectionRegistry {
  private cached?: Projection[];

  constructor(private readonly load: () => Projection[]) {}

  list(): Projection[] {
    this.cached ??= checkRegistry(this.load());
    return this.cached;
  }

  get(name: string): Projection {
    const projection = this.list().find((candidate) => candidate.name === name);
    if (!projection)
      throw new UnknownProjection(
        name,
        this.list().map((p) => p.name),
      );
    return projection;
  }
}

export class UnknownProjection extends Error {
  constructor(name: string, known: string[]) {
    super(`No projection named "${name}" (known: ${known.join(', ') || 'none'})`);
  }
}

function checkRegistry(projections: Projection[]): Projection[] {
  const owners = new Map<string, string>();
  for (const projection of projections) {
    checkProjectionNames(projection);
    for (const logical of allLogicalTables(projection)) {
      const physical = liveTableName(projection.name, logical);
      const owner = owners.get(physical);
      if (owner) throw new Error(`Table ${physical} belongs to both ${owner} and ${projection.name}`);
      owners.set(physical, projection.name);
    }
  }
  return projections;
}
