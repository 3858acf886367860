import { cpus, loadavg, totalmem } from 'node:os';

export interface MachineFacts {
  cores: number;
  cpuModel: string;
  node: string;
  platform: string;
  memoryGiB: number;
  /** The 1-minute load average now; above the core count, other work shared the CPUs. */
  loadAverage: number;
}

/** The 1-minute load average, rounded to two decimals. */
export const loadAverage = (): number => Math.round(loadavg()[0] * 100) / 100;

/** What a benchmark's figures depend on, printed next to them. */
export function machineFacts(): MachineFacts {
  const cpu = cpus();
  return {
    cores: cpu.length,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: loadAverage(),
  };
}
