import { describe, expect, it } from 'vitest';
import { meanCi95 } from './confidence.ts';

describe('meanCi95', () => {
  it('is the Student t interval (t(0.975, 2) = 4.303, NIST table), clipped to what the quantity can take', () => {
    // mean 0.966667, s = 0.057735, half width 4.303 · 0.057735 / √3 = 0.143433
    const r = meanCi95([0.9, 1, 1], [0, 1]);
    expect(r.mean).toBeCloseTo(0.966667, 6);
    expect(r.halfWidth).toBeCloseTo(0.143433, 5);
    expect(r.ci95![0]).toBeCloseTo(0.823233, 5);
    expect(r.ci95![1]).toBe(1); // not 1.110100: a service level cannot pass 100%
    expect(meanCi95([0.9, 1, 1]).ci95![1]).toBeCloseTo(1.110100, 5);
    expect(meanCi95([0.5]).ci95).toBeNull();
  });
});
