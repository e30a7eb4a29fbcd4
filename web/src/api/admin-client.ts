import type { AdminShow, BuyerReservation, HistoryEntry, SaleControlPath, SaleSample } from './admin-types.js';
import { readEvents } from './sse.js';
import { ApiError, openStream, request, requestText } from './http.js';

/** The organizer console's calls (admin routes); the buyer's are in client.ts. */

const path = (id: string) => encodeURIComponent(id);

export interface ReservationQuery {
  showId?: string;
  email?: string;
  name?: string;
  seat?: string;
}

export const adminApi = {
  shows: () => request<AdminShow[]>('GET', '/admin/shows'),

  async show(id: string): Promise<AdminShow> {
    const show = (await adminApi.shows()).find((s) => s.id === id);
    if (!show) throw new ApiError(404, 'CATALOG.SHOW_NOT_FOUND', 'No such show');
    return show;
  },

  control: (showId: string, control: SaleControlPath) =>
    request<{ changed: boolean; show: AdminShow }>('POST', `/shows/${path(showId)}/sale/${control}`),

  setAdmission: (showId: string, body: { admitPerSecond?: number; maxActive?: number }) =>
    request<{ changed: boolean; show: AdminShow }>('POST', `/shows/${path(showId)}/sale/admission`, { body }),

  reservations(query: ReservationQuery): Promise<BuyerReservation[]> {
    const params = new URLSearchParams(Object.entries(query).filter((entry): entry is [string, string] => Boolean(entry[1])));
    return request<BuyerReservation[]>('GET', `/admin/reservations?${params.toString()}`);
  },

  cancel: (reservationId: string, reason: string) =>
    request<void>('POST', `/admin/reservations/${path(reservationId)}/cancel`, { body: { reason }, idempotent: true }),

  salesCsv: (showId: string) => requestText(`/admin/shows/${path(showId)}/reservations.csv`),

  reservationHistory: (reservationId: string) => request<HistoryEntry[]>('GET', `/admin/reservations/${path(reservationId)}/history`),

  /** The sale sampled every second, until the stream ends or `signal` aborts. */
  async *live(showId: string, signal: AbortSignal): AsyncGenerator<SaleSample> {
    const response = await openStream(`/admin/shows/${path(showId)}/live`, signal);
    for await (const message of readEvents(response.body!)) {
      if (message.event === 'sample') yield JSON.parse(message.data) as SaleSample;
    }
  },

  /** The show builder's two calls: schedule a show, change its sale (docs/organizer.md). */
  createShow: (body: Record<string, unknown>) => request<AdminShow>('POST', '/shows', { body }),
  changeShow: (showId: string, body: Record<string, unknown>) => request<AdminShow>('PATCH', `/shows/${path(showId)}`, { body }),

  /** The size of a show's waiting list: members waiting, and offers open. */
  waitlist: (showId: string) => request<{ waiting: number; offered: number }>('GET', `/admin/shows/${path(showId)}/waitlist`),

  seatHistory: (showId: string, seat: string) => request<HistoryEntry[]>('GET', `/admin/shows/${path(showId)}/seats/${path(seat)}/history`),
};
