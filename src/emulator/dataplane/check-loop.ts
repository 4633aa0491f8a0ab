/**
 * The loop that runs a certificate provisioning pass: every `intervalMs`, and shortly after any
 * change to the store (outside `emulator/`). Passes are serialised: one requested while another
 * runs runs once after it.
 */
import type { ResourceStore } from '../core/store.js';

export class CheckLoop {
  private readonly timer: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private running: Promise<void> | undefined;
  private again = false;
  private scheduled = false;
  closed = false;

  constructor(store: ResourceStore, private readonly pass: () => Promise<void>, intervalMs: number) {
    this.timer = setInterval(() => void this.check(), intervalMs);
    this.timer.unref();
    this.unsubscribe = store.onChange((path) => {
      if (this.closed || path.startsWith('emulator/') || this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        void this.check();
      });
    });
  }

  /** Runs one pass (after the running one, if any). */
  check(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.pass();
        } while (this.again && !this.closed);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    this.unsubscribe();
    await this.running?.catch(() => undefined);
  }
}
