// The part of newman's Node API (https://github.com/postmanlabs/newman#api-reference) the tests use;
// newman ships no types of its own.
declare module 'newman' {
  import type { EventEmitter } from 'node:events';

  namespace newman {
    interface NewmanRunOptions {
      /** A collection file path or URL, or the parsed collection. */
      collection: string | object;
      /** An environment file path or URL, or the parsed environment. */
      environment?: string | object;
      /** Reporter names; none keeps the run silent. */
      reporters?: string | string[];
      /** Per-request timeout in milliseconds. */
      timeoutRequest?: number;
    }

    interface NamedItem {
      name: string;
    }

    interface NewmanRunExecution {
      item: NamedItem;
      response?: { code: number };
      requestError?: Error;
      assertions?: { assertion: string; skipped: boolean; error?: Error }[];
    }

    interface NewmanRunFailure {
      /** `test` is the failed assertion's name; script and request errors have none. */
      error: { name: string; message: string; test?: string };
      /** Where it happened: `assertion:1 in test-script`, `prerequest-script`, `request`, … */
      at: string;
      source?: NamedItem;
    }

    interface NewmanRunStat {
      total: number;
      pending: number;
      failed: number;
    }

    interface NewmanRunSummary {
      error?: Error;
      run: {
        stats: Record<'iterations' | 'items' | 'scripts' | 'prerequests' | 'requests' | 'tests' | 'assertions' | 'testScripts' | 'prerequestScripts', NewmanRunStat>;
        executions: NewmanRunExecution[];
        failures: NewmanRunFailure[];
        error: Error | null;
      };
    }

    function run(options: NewmanRunOptions, callback: (error: Error | null, summary: NewmanRunSummary) => void): EventEmitter;
  }

  export = newman;
}
