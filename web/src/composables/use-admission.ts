import { onBeforeUnmount, ref } from 'vue';
import { api } from '../api/client.js';
import { admissionFor, forgetAdmission, saveAdmission } from '../state/booking-state.js';

/**
 * The buyer's admission to a show's sale. While it lasts, the page checks in every few seconds:
 * that keeps the lease (it lapses after ~20 s of silence) and brings a fresh short-lived token.
 */
export function useAdmission(showId: string, queueEnabled: () => boolean) {
  const admission = ref(admissionFor(showId));

  async function renew(): Promise<void> {
    const status = await api.queueStatus(showId);
    if (status.state === 'admitted') {
      admission.value = { token: status.admissionToken, expiresAt: status.tokenExpiresAt };
      saveAdmission(showId, admission.value);
    } else {
      forget();
    }
  }

  function forget(): void {
    forgetAdmission(showId);
    admission.value = undefined;
  }

  const timer = setInterval(() => {
    if (queueEnabled() && admission.value) renew().catch(() => undefined);
  }, 8_000);
  onBeforeUnmount(() => clearInterval(timer));
  return { admission, renew, forget };
}
