/**
 * Queues the mail that confirms a withdrawal. It is queued by the withdrawal itself, after the
 * append and before the member's key is destroyed: afterwards no event can tell the address.
 */
export interface WithdrawalNotices {
  queue(notice: { id: string; memberId: string; email: string; name: string }): Promise<void>;
}
