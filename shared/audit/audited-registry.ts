import { randomBytes } from 'node:crypto';
import { ClientNotFound } from '#shared/clients/client-registry-errors.js';
import type { ClientRegistry } from '#shared/clients/client-registry.js';
import { toPublicView } from '#shared/clients/client-public-view.js';
import type { RegisteredClient } from '#shared/clients/registered-client.js';
import type { AuditLog, AuditRecord } from './audit-record.js';

/** Registry methods that only read. Every other method, including ones added later, is a change and audited. */
const READS: ReadonlySet<string> = new Set(['listClients', 'getClient'] satisfies (keyof ClientRegistry)[]);

/** The change was made, but its audit record could not be written: the operator must know. */
export class AuditRecordNotWritten extends Error {
  override readonly name = 'AuditRecordNotWritten';
}

/** The connection names no audit table: changes are refused rather than made unaudited. */
export class AuditTrailUnavailable extends Error {
  override readonly name = 'AuditTrailUnavailable';
}

export interface AuditedRegistryDeps {
  /** Undefined when the stack has no audit table: reads work, changes are refused. */
  audit: AuditLog | undefined;
  /** Who is acting; asked once, at the first change. */
  actor: () => Promise<string>;
  clock?: () => Date;
  /**
   * Without an audit log, changes are refused, unless this is given: then it is told, and the change goes
   * ahead unaudited (a hand-written local stack file that names no audit table).
   */
  unaudited?: (action: string) => void;
}

/**
 * The registry, with every change recorded in the audit trail after it succeeded. Audited by construction: the
 * wrapper does not list the changes, it lists the reads, so an operation added to ClientRegistry later (set-keys,
 * revoke-tokens, …) is audited without anyone remembering to. What changed is the difference between the
 * client's public view before and after, which by design holds no secret and no hash.
 */
export function auditedRegistry(registry: ClientRegistry, { audit, actor, clock = () => new Date(), unaudited }: AuditedRegistryDeps): ClientRegistry {
  let who: Promise<string> | undefined;
  const current = async (clientId: string): Promise<RegisteredClient | undefined> => {
    try {
      return await registry.getClient(clientId);
    } catch (error) {
      if (error instanceof ClientNotFound) return undefined;
      throw error;
    }
  };

  return new Proxy(registry, {
    get(target, property, receiver) {
      const member: unknown = Reflect.get(target, property, receiver);
      if (typeof member !== 'function' || typeof property !== 'string' || READS.has(property)) return member;
      return async (...args: unknown[]) => {
        if (audit === undefined) {
          if (unaudited === undefined) throw new AuditTrailUnavailable(`this stack has no audit table, so "${actionOf(property)}" is refused: every registry change is audited`);
          unaudited(actionOf(property));
          return (member as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        }
        who ??= actor();
        const actorName = await who;
        const named = typeof args[0] === 'string' ? args[0] : undefined;
        const before = named === undefined ? undefined : await current(named);
        const result: unknown = await (member as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        const clientId = named ?? clientIdOf(result);
        if (clientId === undefined) return result;
        const after = await current(clientId);
        const at = clock();
        const record: AuditRecord = {
          clientId,
          eventKey: `${at.toISOString()}#${randomBytes(6).toString('hex')}`,
          at: at.toISOString(),
          actor: actorName,
          action: actionOf(property),
          changes: changedFields(before, after, at),
        };
        try {
          await audit.append(record);
        } catch (error) {
          const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          throw new AuditRecordNotWritten(`"${record.action}" on client ${clientId} was made, but its audit record could not be written (${detail})`, { cause: error });
        }
        return result;
      };
    },
  });
}

/** createClient → create, rotateSecret → rotate-secret, setKeys → set-keys: the CLI's command names. */
export function actionOf(method: string): string {
  return method
    .replace(/Client$/, '')
    .replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

function clientIdOf(result: unknown): string | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  const direct = (result as { clientId?: unknown }).clientId;
  if (typeof direct === 'string') return direct;
  const nested = (result as { client?: { clientId?: unknown } }).client?.clientId;
  return typeof nested === 'string' ? nested : undefined;
}

/** Fields of the public view that differ (updatedAt aside, which every change moves); secrets by id and expiry. */
export function changedFields(before: RegisteredClient | undefined, after: RegisteredClient | undefined, now: Date): Record<string, [unknown, unknown]> {
  const view = (client: RegisteredClient | undefined): Record<string, unknown> => {
    if (client === undefined) return {};
    const { updatedAt: _updatedAt, secrets, ...rest } = toPublicView(client, now);
    return { ...rest, secrets: secrets.map((secret) => (secret.expiresAt === undefined ? secret.secretId : `${secret.secretId} (expires ${secret.expiresAt})`)) };
  };
  const [was, is] = [view(before), view(after)];
  const changes: Record<string, [unknown, unknown]> = {};
  for (const field of new Set([...Object.keys(was), ...Object.keys(is)])) {
    if (JSON.stringify(was[field]) !== JSON.stringify(is[field])) changes[field] = [was[field] ?? null, is[field] ?? null];
  }
  return changes;
}
