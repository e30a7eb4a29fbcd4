/**
 * A fault the chaos harness injects into one part of a running sale and later heals: the database
 * here, Redis (Cluster) next. `inject` returns once the fault is in place, `heal` once the part
 * answers again, so that the harness can time how long bookings take to flow after it.
 */
export interface Fault<Target> {
  name: string;
  /** One line for the report: what the fault does to the target. */
  description: string;
  /** The part heals itself (a failover): the run heals at once and times bookings from the injection. */
  selfHealing?: boolean;
  inject(target: Target): Promise<void>;
  heal(target: Target): Promise<void>;
}
