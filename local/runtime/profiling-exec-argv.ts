/**
 * The only flags of this process a function's worker thread takes over: V8 CPU profiling
 * (`node --cpu-prof`), so that profiling the local stack covers the functions too, each thread writing its
 * own profile. Nothing else of how this process was started (loaders, inspector, …) leaks in.
 */
const WITH_VALUE = new Set(['--cpu-prof-dir', '--cpu-prof-interval']);

export function profilingExecArgv(execArgv: readonly string[] = process.execArgv): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    if (arg === '--cpu-prof' || [...WITH_VALUE].some((flag) => arg.startsWith(`${flag}=`))) kept.push(arg);
    else if (WITH_VALUE.has(arg) && i + 1 < execArgv.length) kept.push(arg, execArgv[++i]!);
  }
  return kept;
}
