import { AdmissionControl } from './admission-control';

describe('AdmissionControl', () => {
  let clock: number;
  let draw: number;
  const control = (maxInputDelayMs = 1000) => new AdmissionControl({ maxInputDelayMs, windowMs: 1000, now: () => clock, random: () => draw });
  /** One window in which the longest wait was `waitMs`. */
  const windowWith = (admission: AdmissionControl, waitMs: number) => {
    admission.observe(waitMs);
    clock += 1000;
  };
  beforeEach(() => {
    clock = 1_000_000;
    draw = 0.5;
  });

  it('takes every new call while notifications are applied soon after they were stored', () => {
    const admission = control();
    for (let i = 0; i < 30; i++) {
      admission.observe(40);
      clock += 100;
    }
    expect(admission.admittedShare()).toBe(1);
    expect(admission.admitting()).toBe(true);
    expect(admission.inputDelayMs()).toBe(40);
  });

  it('halves the share of new calls after each window that saw a wait above the limit', () => {
    const admission = control();
    admission.observe(1500);
    expect(admission.admittedShare()).toBe(1); // the window has not ended yet
    clock += 1000;
    expect(admission.admittedShare()).toBe(0.5);
    windowWith(admission, 1200);
    expect(admission.admittedShare()).toBe(0.25);
  });

  it('takes a new call when its draw falls within the share, and refuses it otherwise', () => {
    const admission = control();
    windowWith(admission, 1500);
    draw = 0.49;
    expect(admission.admitting()).toBe(true);
    draw = 0.5;
    expect(admission.admitting()).toBe(false);
  });

  it('holds the share while waits are between half the limit and the limit, and grows it back below half', () => {
    const admission = control();
    windowWith(admission, 1500);
    windowWith(admission, 1500);
    windowWith(admission, 700);
    expect(admission.admittedShare()).toBe(0.25);
    windowWith(admission, 300);
    expect(admission.admittedShare()).toBeCloseTo(0.45);
    for (let i = 0; i < 5; i++) windowWith(admission, 300);
    expect(admission.admittedShare()).toBe(1);
  });

  it('refuses every new call once the share falls below a thirty-second', () => {
    const admission = control();
    for (let i = 0; i < 6; i++) windowWith(admission, 5000);
    expect(admission.admittedShare()).toBe(0);
    draw = 0;
    expect(admission.admitting()).toBe(false);
  });

  it('forgets an old overload after a quiet spell', () => {
    const admission = control();
    windowWith(admission, 5000);
    expect(admission.admittedShare()).toBe(0.5);
    clock += 5000;
    expect(admission.admittedShare()).toBe(1);
    expect(admission.inputDelayMs()).toBe(0);
  });

  it('takes every call with a limit of 0', () => {
    const admission = control(0);
    windowWith(admission, 60_000);
    expect(admission.admittedShare()).toBe(1);
    expect(admission.admitting()).toBe(true);
  });
});
