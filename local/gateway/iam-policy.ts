// How API Gateway judges the IAM policy a Lambda authorizer returns against the method being called:
// an explicit Deny naming the method ARN wins, otherwise an Allow must name it; Action and Resource may
// be strings or lists and use the IAM wildcards `*` and `?`.

export type PolicyDecision = 'allow' | 'explicit-deny' | 'implicit-deny';

export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: string[];
}

/** The statements of a policy document, or undefined when it is not a usable policy. */
export function readPolicyDocument(value: unknown): PolicyStatement[] | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const raw = (value as Record<string, unknown>).Statement;
  const statements = Array.isArray(raw) ? raw : raw === undefined ? undefined : [raw];
  if (!statements) return undefined;
  const parsed: PolicyStatement[] = [];
  for (const statement of statements) {
    if (statement === null || typeof statement !== 'object') return undefined;
    const { Effect, Action, Resource } = statement as Record<string, unknown>;
    const actions = stringList(Action);
    const resources = stringList(Resource);
    if ((Effect !== 'Allow' && Effect !== 'Deny') || !actions || !resources) return undefined;
    parsed.push({ Effect, Action: actions, Resource: resources });
  }
  return parsed;
}

export function evaluatePolicy(statements: readonly PolicyStatement[], methodArn: string): PolicyDecision {
  const applies = (statement: PolicyStatement) =>
    statement.Action.some((action) => wildcard(action, 'execute-api:Invoke', true)) &&
    statement.Resource.some((resource) => wildcard(resource, methodArn, false));
  const matching = statements.filter(applies);
  if (matching.some((statement) => statement.Effect === 'Deny')) return 'explicit-deny';
  return matching.some((statement) => statement.Effect === 'Allow') ? 'allow' : 'implicit-deny';
}

function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string')) return value as string[];
  return undefined;
}

// IAM action names are case-insensitive; resource ARNs are not.
function wildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}
