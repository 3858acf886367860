import { AdmissionControl } from './admission-control';

describe('AdmissionControl', () => {
  let clock: number;
  const control = (maxInputDelayMs = 1000) => new AdmissionControl({ maxInputDelayMs, windowMs: 1000, now: () => clock });
  beforeEach(() => {
    clock = 1_000_000;
  });

  it('admits while notifications are applied soon after they were stored', () => {
    const admission = control();
    for (let i = 0; i < 30; i++) {
      admission.observe(40);
      clock += 100;
    }
    expect(admission.admitting()).toBe(true);
    expect(admission.inputDelayMs()).toBe(40);
  });

  it('refuses once a window saw a wait above the limit, and admits again only below half of it', () => {
    const admission = control();
    admission.observe(1500);
    expect(admission.admitting()).toBe(true); // the window has not ended yet
    clock += 1000;
    expect(admission.admitting()).toBe(false);
    admission.observe(700);
    clock += 1000;
    expect(admission.admitting()).toBe(false); // 700 ms is below the limit but not below half of it
    admission.observe(300);
    clock += 1000;
    expect(admission.admitting()).toBe(true);
  });

  it('forgets an old overload after a quiet spell', () => {
    const admission = control();
    admission.observe(5000);
    clock += 1000;
    expect(admission.admitting()).toBe(false);
    clock += 5000;
    expect(admission.admitting()).toBe(true);
    expect(admission.inputDelayMs()).toBe(0);
  });

  it('never refuses with a limit of 0', () => {
    const admission = control(0);
    admission.observe(60_000);
    clock += 1000;
    expect(admission.admitting()).toBe(true);
  });
});
