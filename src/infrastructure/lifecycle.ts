/** Background work that starts with the server and stops, in reverse order, on shutdown. */
export interface Service {
  name: string;
  start(): Promise<void> | void;
  stop(): Promise<void> | void;
  /** When the server stops accepting: end long-lived requests (long polls) now rather than at their deadline. */
  drain?(): void;
}

export class Lifecycle {
  private readonly services: Service[] = [];
  private started: Service[] = [];

  add(service: Service): void {
    this.services.push(service);
  }

  /** Starts the services (those `here` accepts, all by default) in the order they were added. */
  async start(here: (name: string) => boolean = () => true): Promise<void> {
    for (const service of this.services) {
      if (!here(service.name)) continue;
      await service.start();
      this.started.push(service);
    }
  }

  drain(): void {
    for (const service of this.started) service.drain?.();
  }

  async stop(): Promise<void> {
    const running = this.started.reverse();
    this.started = [];
    for (const service of running) await service.stop();
  }
}
