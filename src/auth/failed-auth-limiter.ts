// Slows down token guessing: after too many failed authentications from one address within a window, further
// requests from it get 429 with Retry-After until the window passes. Kept in memory per instance, which is enough
// to make guessing a 256-bit token pointless; it is not a substitute for a gateway's rate limits.
import { Injectable } from '@nestjs/common';

export const FAILED_AUTH_LIMIT = 20;
export const FAILED_AUTH_WINDOW_MS = 60_000;
const MAX_TRACKED = 10_000;

@Injectable()
export class FailedAuthLimiter {
  private readonly failures = new Map<string, { count: number; windowStart: number }>();

  /** Seconds to wait when the address is over the limit, else 0. */
  retryAfter(address: string, now = Date.now()): number {
    const entry = this.failures.get(address);
    if (!entry || now - entry.windowStart >= FAILED_AUTH_WINDOW_MS) return 0;
    if (entry.count < FAILED_AUTH_LIMIT) return 0;
    return Math.ceil((entry.windowStart + FAILED_AUTH_WINDOW_MS - now) / 1000);
  }

  recordFailure(address: string, now = Date.now()): void {
    const entry = this.failures.get(address);
    if (!entry || now - entry.windowStart >= FAILED_AUTH_WINDOW_MS) {
      if (this.failures.size >= MAX_TRACKED) this.prune(now);
      this.failures.set(address, { count: 1, windowStart: now });
    } else {
      entry.count += 1;
    }
  }

  private prune(now: number): void {
    for (const [address, entry] of this.failures) {
      if (now - entry.windowStart >= FAILED_AUTH_WINDOW_MS) this.failures.delete(address);
    }
    if (this.failures.size >= MAX_TRACKED) this.failures.clear();
  }
}
