import { summarizeLatencies } from './latency-summary';

describe('summarizeLatencies', () => {
  it('takes nearest-rank percentiles whatever the order of the samples', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1
    expect(summarizeLatencies(samples)).toEqual({ samples: 100, p50Ms: 50, p90Ms: 90, p99Ms: 99, maxMs: 100 });
  });

  it('reports the only sample for every percentile', () => {
    expect(summarizeLatencies([3.5])).toEqual({ samples: 1, p50Ms: 3.5, p90Ms: 3.5, p99Ms: 3.5, maxMs: 3.5 });
  });

  it('reports NaN rather than inventing figures when nothing was measured', () => {
    const summary = summarizeLatencies([]);
    expect(summary.samples).toBe(0);
    expect(summary.p50Ms).toBeNaN();
    expect(summary.p99Ms).toBeNaN();
  });
});
