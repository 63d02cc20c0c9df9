// Runs inside one worker thread: the local twin of a Lambda execution environment. It loads the
// function's TypeScript source through tsx (so no build step), then answers invoke messages.
// It is plain .mjs because it runs before any TypeScript loader exists; it has to live inside the repo so
// that package.json's "type": "module" and the tsconfig apply to what it imports.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();

const { entryUrl, exportName, handlerName } = workerData;
let handler;
const initError = await loadHandler();
if (initError) {
  // Like a failed Lambda init: this environment is unusable; the parent discards it and starts a fresh one.
  parentPort.postMessage({ type: 'init-error', error: initError });
} else {
  parentPort.postMessage({ type: 'ready' });
  parentPort.on('message', async ({ id, event, context }) => {
    try {
      const result = await call(handler, event, lambdaContext(context));
      parentPort.postMessage({ type: 'result', id, result: serialize(result) });
    } catch (error) {
      parentPort.postMessage({ type: 'error', id, error: describeError(error) });
    }
  });
}

async function loadHandler() {
  try {
    const module = await import(entryUrl);
    handler = module[exportName];
    if (typeof handler !== 'function') return { name: 'Runtime.HandlerNotFound', message: `${handlerName} is undefined or not exported`, stack: '' };
    return undefined;
  } catch (error) {
    return { ...describeError(error), name: 'Runtime.ImportModuleError' };
  }
}

// Async handlers return a promise; older callback-style handlers (3 parameters) call back instead.
function call(fn, event, context) {
  return new Promise((resolve, reject) => {
    const callback = (error, result) => (error ? reject(error) : resolve(result));
    const returned = fn(event, context, callback);
    if (returned && typeof returned.then === 'function') returned.then(resolve, reject);
    else if (fn.length < 3) resolve(returned);
  });
}

function lambdaContext({ deadlineMs, ...fields }) {
  return {
    ...fields,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadlineMs - Date.now()),
  };
}

// Lambda returns what JSON.stringify makes of the result (undefined becomes null), never live objects.
function serialize(result) {
  const text = JSON.stringify(result);
  return text === undefined ? null : JSON.parse(text);
}

function describeError(error) {
  if (error instanceof Error) return { name: error.name || 'Error', message: error.message, stack: error.stack ?? '' };
  return { name: typeof error, message: String(error), stack: '' };
}
