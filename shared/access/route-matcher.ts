import type { AccessRule } from './access-rules.js';

/**
 * Which route of a table a request reaches, as API Gateway's resource tree decides it for REST APIs: segment
 * by segment a literal beats a `{param}`, which beats a greedy `{proxy+}`, backtracking when a branch leads
 * nowhere; then the method is looked up on that resource, ANY serving the methods it does not declare
 * ("Set up a proxy integration with a proxy resource" / "Set up REST API resources", API Gateway guide).
 */
export type RouteMatcher<T> = (method: string, segments: readonly string[]) => T | undefined;

interface Node<T> {
  methods: Map<string, T>;
  literals: Map<string, Node<T>>;
  param?: Node<T>;
  greedy?: Map<string, T>;
}

const newNode = <T>(): Node<T> => ({ methods: new Map(), literals: new Map() });

export function pathSegments(path: string): string[] {
  return path === '/' ? [] : path.slice(1).split('/');
}

export function makeRouteMatcher<T>(routes: readonly { rule: AccessRule; value: T }[]): RouteMatcher<T> {
  const root = newNode<T>();
  for (const { rule, value } of routes) resourceOf(root, pathSegments(rule.path)).set(rule.method, value);
  return (method, segments) => {
    const found = findResource(root, segments, 0);
    return found && (found.get(method) ?? found.get('ANY'));
  };
}

function resourceOf<T>(root: Node<T>, segments: readonly string[]): Map<string, T> {
  let node = root;
  for (const [index, segment] of segments.entries()) {
    // readAccessRules has already refused a greedy segment that is not the last.
    if (/^\{\w+\+\}$/.test(segment) && index === segments.length - 1) return (node.greedy ??= new Map());
    if (/^\{\w+\}$/.test(segment)) node = node.param ??= newNode();
    else {
      let next = node.literals.get(segment);
      if (!next) node.literals.set(segment, (next = newNode()));
      node = next;
    }
  }
  return node.methods;
}

// A resource is chosen by the path alone; a method it lacks is then a miss, not a reason to try another branch.
function findResource<T>(node: Node<T>, segments: readonly string[], index: number): Map<string, T> | undefined {
  if (index === segments.length) return node.methods.size > 0 ? node.methods : undefined;
  const segment = segments[index]!;
  const literal = node.literals.get(segment);
  const viaLiteral = literal && findResource(literal, segments, index + 1);
  if (viaLiteral) return viaLiteral;
  const viaParam = node.param && segment !== '' ? findResource(node.param, segments, index + 1) : undefined;
  if (viaParam) return viaParam;
  return node.greedy;
}
