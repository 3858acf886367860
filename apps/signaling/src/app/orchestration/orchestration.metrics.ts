import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * `uninterpretable`: a stored notification the readers could not interpret, dead-lettered with its reason.
 * `dead-letter-failed`: the dead-letter could not be stored, so the input was kept (nak'ed) to come back.
 */
export type InputOutcome = 'applied' | 'ignored' | 'held' | 'redelivered' | 'dead-lettered' | 'uninterpretable' | 'dead-letter-failed';
export type EffectOutcome = 'done' | 'retry' | 'dropped';

/** What orchestration reports about itself; the Prometheus implementation is below, tests pass a no-op. */
export interface OrchestrationObserver {
  input(source: string, outcome: InputOutcome): void;
  effect(kind: string, outcome: EffectOutcome, seconds: number): void;
}


export function prometheusObserver(registry: Registry): OrchestrationObserver {
  const inputs = new Counter({
    name: 'switchboard_call_inputs_total',
    help: 'Call inputs (Graph notifications, timers, webhook answers) by stream and outcome',
    labelNames: ['source', 'outcome'],
    registers: [registry],
  });
  const effects = new Histogram({
    name: 'switchboard_effect_seconds',
    help: 'Time to carry out an effect (Graph request, event, timer, webhook), by kind and outcome',
    labelNames: ['kind', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    input: (source, outcome) => inputs.inc({ source, outcome }),
    effect: (kind, outcome, seconds) => effects.observe({ kind, outcome }, seconds),
  };
}
