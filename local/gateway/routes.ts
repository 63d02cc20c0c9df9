// API Gateway's resource tree for a REST API: a request path is matched to a resource first (literal
// segments beat `{param}`, which beats a greedy `{proxy+}`), and only then is the method looked up; a
// resource without that method answers like an unknown path does (403 Missing Authentication Token).
import { createHash } from 'node:crypto';

export interface RouteTarget {
  functionId: string;
  /** Name of the Lambda authorizer guarding the method, if any. */
  authorizer?: string;
}

export interface Resource {
  /** The template path, e.g. `/products/{id}`: the event's `resource` and `requestContext.resourcePath`. */
  path: string;
  /** API Gateway's short id of the resource (stable per path). */
  id: string;
  /** By upper-case method; `ANY` serves every method not listed separately. */
  methods: Map<string, RouteTarget>;
}

export type RouteMatch =
  | { kind: 'matched'; resource: Resource; target: RouteTarget; pathParameters: Record<string, string> | null }
  | { kind: 'not-found' };

type Segment = { literal: string } | { param: string } | { greedy: string };

interface Node {
  resource?: Resource;
  literals: Map<string, Node>;
  param?: { name: string; node: Node };
  greedy?: { name: string; resource: Resource };
}

export class DuplicateRouteError extends Error {
  override readonly name = 'DuplicateRouteError';
}

export class RouteTable {
  readonly #root: Node = { literals: new Map() };

  add(path: string, method: string, target: RouteTarget): void {
    const resource = this.#resourceFor(path);
    if (resource.methods.has(method)) throw new DuplicateRouteError(`${method} ${path} is declared twice`);
    resource.methods.set(method, target);
  }

  /** rawPath is the request path still percent-encoded; parameters are handed over decoded. */
  match(method: string, rawPath: string): RouteMatch {
    const trimmed = rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.slice(0, -1) : rawPath;
    const segments = trimmed === '/' ? [] : trimmed.slice(1).split('/');
    const found = find(this.#root, segments.map(decodeSegment), 0, {});
    if (!found) return { kind: 'not-found' };
    const target = found.resource.methods.get(method) ?? found.resource.methods.get('ANY');
    if (!target) return { kind: 'not-found' };
    const names = Object.keys(found.parameters);
    return { kind: 'matched', resource: found.resource, target, pathParameters: names.length > 0 ? found.parameters : null };
  }

  #resourceFor(path: string): Resource {
    let node = this.#root;
    const segments = parsePath(path);
    for (const [i, segment] of segments.entries()) {
      if ('greedy' in segment) {
        if (i !== segments.length - 1) throw new DuplicateRouteError(`${path}: a greedy {${segment.greedy}+} must be the last segment`);
        node.greedy ??= { name: segment.greedy, resource: newResource(path) };
        return node.greedy.resource;
      }
      if ('param' in segment) {
        if (node.param && node.param.name !== segment.param) {
          // API Gateway refuses sibling parameters with different names (/a/{id} next to /a/{name}).
          throw new DuplicateRouteError(`${path}: {${segment.param}} conflicts with {${node.param.name}} at the same level`);
        }
        node.param ??= { name: segment.param, node: { literals: new Map() } };
        node = node.param.node;
      } else {
        let next = node.literals.get(segment.literal);
        if (!next) node.literals.set(segment.literal, (next = { literals: new Map() }));
        node = next;
      }
    }
    node.resource ??= newResource(path);
    return node.resource;
  }
}

function find(
  node: Node,
  segments: string[],
  index: number,
  parameters: Record<string, string>,
): { resource: Resource; parameters: Record<string, string> } | undefined {
  if (index === segments.length) return node.resource ? { resource: node.resource, parameters } : undefined;
  const segment = segments[index]!;
  const literal = node.literals.get(segment);
  const viaLiteral = literal && find(literal, segments, index + 1, parameters);
  if (viaLiteral) return viaLiteral;
  if (node.param && segment !== '') {
    const viaParam = find(node.param.node, segments, index + 1, { ...parameters, [node.param.name]: segment });
    if (viaParam) return viaParam;
  }
  if (node.greedy) {
    return { resource: node.greedy.resource, parameters: { ...parameters, [node.greedy.name]: segments.slice(index).join('/') } };
  }
  return undefined;
}

function parsePath(path: string): Segment[] {
  if (path === '/') return [];
  return path
    .replace(/^\//, '')
    .replace(/\/$/, '')
    .split('/')
    .map((part) => {
      const greedy = /^\{(\w+)\+\}$/.exec(part);
      if (greedy) return { greedy: greedy[1]! };
      const param = /^\{(\w+)\}$/.exec(part);
      return param ? { param: param[1]! } : { literal: part };
    });
}

function newResource(path: string): Resource {
  const id = BigInt(`0x${createHash('sha256').update(path).digest('hex').slice(0, 12)}`).toString(36).slice(0, 6);
  return { path, id, methods: new Map() };
}

// A segment that is not valid percent-encoding is passed on as sent rather than failing the request.
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
