import { describe, expect, it } from 'vitest';
import { profilingExecArgv } from '../../local/runtime/profiling-exec-argv.js';

describe('function worker flags', () => {
  it('carries over CPU profiling and nothing else of how the parent was started', () => {
    const parent = ['--import', 'tsx', '--cpu-prof', '--cpu-prof-dir', '/tmp/p', '--cpu-prof-interval=50', '--cpu-prof-name', 'one.cpuprofile', '--inspect'];
    expect(profilingExecArgv(parent)).toEqual(['--cpu-prof', '--cpu-prof-dir', '/tmp/p', '--cpu-prof-interval=50']);
    expect(profilingExecArgv(['--import', 'tsx'])).toEqual([]);
  });
});
