import type { StackInfo } from '../../local/stack-info.js';

/** What integration tests get from `inject('stack')`. */
export interface TestStack extends StackInfo {
  demoClientSecret: string;
  /** Every log line of the run, `<FunctionLogicalId or gateway>\t<line>`. */
  logFile: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: TestStack;
  }
}
