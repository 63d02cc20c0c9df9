/**
 * One change to the client registry, as the audit trail keeps it: who, what, when, on which client, and which
 * public fields changed. Built only from the public view of a client (shared/clients/client-public-view.ts), so
 * a secret or its hash can never be part of it.
 */
export interface AuditRecord {
  clientId: string;
  /** `<ISO time>#<random>`: orders a client's records by time and never collides. */
  eventKey: string;
  at: string;
  /** The caller's identity: an IAM ARN from STS GetCallerIdentity, or the OS user of a local run. */
  actor: string;
  /** The registry operation in CLI spelling: create, rotate-secret, remove-secret, disable, … */
  action: string;
  /** Public fields that changed, each as [before, after] (absent before a create, after a delete). */
  changes: Record<string, [unknown, unknown]>;
}

/** The partition key of the byTime index: every record is in the one journal of this registry. */
export const AUDIT_JOURNAL = 'registry';

export interface AuditQuery {
  clientId?: string;
  /** ISO time; records at or after it. */
  since?: string;
}

/** Append-only: there is deliberately no update or delete. */
export interface AuditLog {
  append(record: AuditRecord): Promise<void>;
  /** Oldest first. */
  read(query: AuditQuery): Promise<AuditRecord[]>;
}
