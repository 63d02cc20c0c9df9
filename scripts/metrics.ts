// `npm run metrics`: the running local stack's metric totals (the EMF records its functions wrote) in a table.
import { processIo, projectPaths } from './process-io.js';
import { runMetricsCli } from './metrics/run.js';

process.exitCode = await runMetricsCli(process.argv.slice(2), processIo, projectPaths);
