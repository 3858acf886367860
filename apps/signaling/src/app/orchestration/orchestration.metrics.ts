import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { AdmissionControl } from './admission-control';
import type { PriorityGate } from './priority-gate';

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
  /** A Graph notification waited `seconds` for capacity before being applied; `pending` are stored but not yet delivered to any replica. */
  waited(seconds: number, pending: number): void;
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
  const waits = new Histogram({
    name: 'switchboard_call_input_wait_seconds',
    help: 'Time a Graph notification waited for capacity (first delivery): JetStream backlog plus the replica queue, not the wait behind its own call',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
    registers: [registry],
  });
  const lag = new Gauge({
    name: 'switchboard_call_inputs_consumer_lag',
    help: 'Graph notifications stored but not yet delivered to any replica, as of the last one this replica received',
    registers: [registry],
  });
  return {
    input: (source, outcome) => inputs.inc({ source, outcome }),
    effect: (kind, outcome, seconds) => effects.observe({ kind, outcome }, seconds),
    waited: (seconds, pending) => {
      waits.observe(seconds);
      lag.set(pending);
    },
  };
}

/** The replica's own queue and admission state, read when Prometheus scrapes. */
export function registerLoadMetrics(registry: Registry, gate: PriorityGate, admission: AdmissionControl): void {
  new Gauge({
    name: 'switchboard_call_inputs_backlog',
    help: 'Call inputs this replica holds that wait for a slot, by lane (urgent: new calls)',
    labelNames: ['lane'],
    registers: [registry],
    collect() {
      for (const [lane, waiting] of Object.entries(gate.backlog())) this.set({ lane }, waiting);
    },
  });
  new Gauge({
    name: 'switchboard_call_admission_open',
    help: 'The share of new calls this replica takes: 1 below capacity; past it less, the rest refused (busy)',
    registers: [registry],
    collect() {
      this.set(admission.admittedShare());
    },
  });
}
