import type { BuyerReservation } from '../../projections/reservations/admin-reservations.queries.js';

const COLUMNS = ['reservation_id', 'status', 'confirmed_at', 'cancelled_at', 'email', 'name', 'seats', 'quantity', 'total', 'currency'];

/** RFC 4180 CSV of a show's reservations; a cell a spreadsheet would run as a formula is prefixed with `'`. */
export function salesCsv(rows: BuyerReservation[]): string {
  const lines = rows.map((r) =>
    [
      r.reservationId,
      r.status,
      r.confirmedAt,
      r.cancelledAt ?? '',
      r.email ?? '',
      r.name ?? '',
      r.seats.join(' '),
      r.quantity,
      r.total,
      r.currency,
    ]
      .map(cell)
      .join(','),
  );
  return [COLUMNS.join(','), ...lines].join('\r\n') + '\r\n';
}

function cell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
