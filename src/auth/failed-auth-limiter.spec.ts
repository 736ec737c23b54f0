import { FAILED_AUTH_LIMIT, FAILED_AUTH_WINDOW_MS, FailedAuthLimiter } from './failed-auth-limiter';

describe('FailedAuthLimiter', () => {
  it('lets an address fail up to the limit, then asks it to wait until the window ends', () => {
    const limiter = new FailedAuthLimiter();
    const t0 = 1_000_000;
    for (let i = 0; i < FAILED_AUTH_LIMIT - 1; i++) limiter.recordFailure('10.0.0.1', t0);
    expect(limiter.retryAfter('10.0.0.1', t0)).toBe(0);
    limiter.recordFailure('10.0.0.1', t0);
    expect(limiter.retryAfter('10.0.0.1', t0 + 1_000)).toBe(Math.ceil((FAILED_AUTH_WINDOW_MS - 1_000) / 1000));
    expect(limiter.retryAfter('10.0.0.2', t0 + 1_000)).toBe(0);
    expect(limiter.retryAfter('10.0.0.1', t0 + FAILED_AUTH_WINDOW_MS)).toBe(0);
  });
});
