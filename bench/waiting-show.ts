import type { DependencyContainer } from 'tsyringe';
import { defaultAdmissionSettings, type AdmissionSettings } from '../src/application/admission/admission-settings.js';
import type { SaleCatalog, SaleSettings } from '../src/application/ports/sale-catalog.js';
import { TOKENS } from '../src/application/tokens.js';
import { buildContainer } from '../src/infrastructure/container.js';
import { loadConfig } from '../src/infrastructure/config/config.js';
import type { Lifecycle } from '../src/infrastructure/lifecycle.js';
import type { Logger } from '../src/infrastructure/logging/logger.js';

/**
 * A bench server's container (from the environment), started, with one queued show on sale that
 * admits nobody during a run: joins and polls stay on the waiting path.
 */
export async function containerWithWaitingShow(showId: string, logger: Logger): Promise<DependencyContainer> {
  const container = await buildContainer(loadConfig(process.env), logger);
  const sale: SaleSettings = {
    showId,
    salesOpenAt: new Date(Date.now() - 60_000),
    queue: { enabled: true, admitPerSecond: 0.001, maxActive: 1 },
    remaining: 1_000_000,
  };
  const sales: SaleCatalog = { saleSettings: async (id) => (id === showId ? sale : undefined) };
  container.register(TOKENS.SaleCatalog, { useValue: sales });
  // the limits still run (one Redis call each), but must not refuse a load generator on one address
  const settings: AdmissionSettings = {
    ...defaultAdmissionSettings,
    joinLimitPerIp: { limit: 1e9, windowSeconds: 60 },
    joinLimitPerMember: { limit: 1e9, windowSeconds: 60 },
    redisPrefix: `bench:admission:${showId}`,
  };
  container.register(TOKENS.AdmissionSettings, { useValue: settings });
  await container.resolve<Lifecycle>(TOKENS.Lifecycle).start();
  return container;
}
