import { cpus, freemem, loadavg, release, totalmem, type as osType } from 'node:os';

/** Where and when the numbers were taken; every report starts with it. */
export interface Machine {
  cpuModel: string;
  cores: number;
  node: string;
  os: string;
  memoryGiB: number;
  freeMemoryGiB: number;
  /** 1-minute load average when the run started and when it ended: other work on the machine skews every number. */
  loadAverage: { start: number; end?: number };
  date: string;
}

const GiB = 1024 ** 3;

export function describeMachine(): Machine {
  const processors = cpus();
  return {
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    cores: processors.length,
    node: process.version,
    os: `${osType()} ${release()} ${process.arch}`,
    memoryGiB: round(totalmem() / GiB),
    freeMemoryGiB: round(freemem() / GiB),
    loadAverage: { start: round(loadavg()[0] ?? 0) },
    date: new Date().toISOString(),
  };
}

export function finishMachine(machine: Machine): Machine {
  return { ...machine, loadAverage: { ...machine.loadAverage, end: round(loadavg()[0] ?? 0) } };
}

export function formatMachine(machine: Machine): string {
  const load = machine.loadAverage.end === undefined ? `${machine.loadAverage.start}` : `${machine.loadAverage.start} → ${machine.loadAverage.end}`;
  return [
    `Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB (${machine.freeMemoryGiB} free), ${machine.os}`,
    `Node ${machine.node}; load average (1 min) ${load}; ${machine.date}`,
  ].join('\n');
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
