import { expect } from 'chai';
import type { Projection } from '../../../src/projections/projection.js';
import { ProjectionRegistry, UnknownProjection } from '../../../src/infrastructure/projections/engine/registry.js';
import { liveTableName, suffixedTables } from '../../../src/projections/table-names.js';

function projection(name: string, tables: string[]): Projection {
  return { name, tables, handles: [], createTables: async () => undefined, apply: async () => undefined };
}

describe('projection registry', () => {
  it('when names are valid, then live tables are prefixed and rebuild tables suffixed', () => {
    expect(liveTableName('seat-map', 'seats')).to.equal('seat_map_seats');
    expect(suffixedTables('seat-map', '__rabc')('seats')).to.equal('seat_map_seats__rabc');
    const registry = new ProjectionRegistry(() => [projection('seat-map', ['seats']), projection('sales', ['totals'])]);
    expect(registry.get('sales').name).to.equal('sales');
  });

  it('when a projection is unknown, then the error lists the known ones', () => {
    const registry = new ProjectionRegistry(() => [projection('sales', ['totals'])]);
    expect(() => registry.get('nope')).to.throw(UnknownProjection, 'known: sales');
  });

  for (const [name, tables, message] of [
    ['Seat-Map', ['seats'], 'must match'],
    ['seat--map', ['seats'], 'must match'],
    ['a-very-long-projection-name', ['seats'], 'must match'],
    ['seat-map', ['seats__old'], 'must match'],
    ['seat-map', ['checkpoint'], "engine's table"],
  ] as const) {
    it(`when a projection is named ${name} with tables ${tables.join(',')}, then the registry refuses it`, () => {
      const registry = new ProjectionRegistry(() => [projection(name, [...tables])]);
      expect(() => registry.list()).to.throw(message);
    });
  }

  it('when two projections would own the same physical table, then the registry refuses them', () => {
    const registry = new ProjectionRegistry(() => [projection('seat', ['map_x']), projection('seat-map', ['x'])]);
    expect(() => registry.list()).to.throw('belongs to both seat and seat-map');
  });
});
