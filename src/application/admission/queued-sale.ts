import { QueueNotEnabled, ShowNotOnSale } from '../../domain/admission/admission.errors.js';
import type { SaleCatalog, SaleSettings } from '../ports/sale-catalog.js';

/** The show's sale, which must exist and sell through the waiting room. */
export async function queuedSale(catalog: SaleCatalog, showId: string): Promise<SaleSettings> {
  const sale = await catalog.saleSettings(showId);
  if (!sale) throw new ShowNotOnSale(showId);
  if (!sale.queue.enabled) throw new QueueNotEnabled(showId);
  return sale;
}

/** Why nobody can join now, if the sale is over or sold out. */
export function closedReason(sale: SaleSettings, now: number): 'sales_closed' | 'sold_out' | undefined {
  if (sale.salesCloseAt && now >= sale.salesCloseAt.getTime()) return 'sales_closed';
  if (sale.remaining <= 0 && now >= sale.salesOpenAt.getTime()) return 'sold_out';
  return undefined;
}
