import { parseOptionsStrictly } from '../cli/option-problems.js';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface InvokeArgs {
  help: boolean;
  functionId: string;
  /** A path, or `-` for stdin. */
  eventFile: string;
  stackFile?: string;
  envVarsFile?: string;
  templateFile?: string;
}

export const USAGE = `Usage: npm run invoke -- <FunctionLogicalId> <event-file | -> [options]

Runs one function of template.yaml once, in-process, against the running local stack (npm start):
what \`sam local invoke\` does, without Docker. The function gets the environment the stack gives it.
The result goes to stdout as JSON, the function's logs to stderr.

  --stack-file FILE  the stack to use (default: $OAUTH_STACK_FILE or .local/stack.json)
  --env-vars FILE    override declared environment variables, in sam's format:
                     { "Parameters": { NAME: value }, "<FunctionLogicalId>": { NAME: value } }
  -t, --template FILE  the template (default: template.yaml)

Exit status: 0 when the function ran (whatever status code it answered), 1 when it threw
(its {"errorType","errorMessage"} is printed), 2 for a usage error, an unknown function,
an unreadable event or no running stack.

Example: npm run invoke -- TokenFunction events/token/basic-auth.json
`;

export function parseInvokeArgs(argv: readonly string[]): InvokeArgs {
  const { values, positionals } = parseStrictly(argv);
  const base = {
    ...(values['stack-file'] === undefined ? {} : { stackFile: values['stack-file'] }),
    ...(values['env-vars'] === undefined ? {} : { envVarsFile: values['env-vars'] }),
    ...(values.template === undefined ? {} : { templateFile: values.template }),
  };
  if (values.help === true) return { help: true, functionId: '', eventFile: '', ...base };
  const [functionId, eventFile, ...rest] = positionals;
  if (functionId === undefined) throw new UsageError('no function given');
  if (eventFile === undefined) throw new UsageError('no event file given (use - to read the event from stdin)');
  if (rest.length > 0) throw new UsageError(`unexpected argument ${rest.join(' ')}`);
  return { help: false, functionId, eventFile, ...base };
}

export const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  'stack-file': { type: 'string' },
  'env-vars': { type: 'string' },
  template: { type: 'string', short: 't' },
} as const;

function parseStrictly(argv: readonly string[]) {
  return parseOptionsStrictly(argv, OPTIONS, true, (message) => new UsageError(message));
}
