import { join } from 'node:path';
import type { AliasRecord, KeyRecord } from './key-record.js';
import { readStateFile, writeStateFile } from './state-file.js';

/**
 * Keys and aliases of every region, in memory, persisted after each change. Callers see
 * one region at a time because KMS keys and aliases never cross regions.
 */
export class KeyStore {
  readonly #file: string;
  readonly #keys = new Map<string, KeyRecord>();
  readonly #aliases = new Map<string, AliasRecord>();
  #writes: Promise<void> = Promise.resolve();

  private constructor(file: string) {
    this.#file = file;
  }

  static async open(dataDir: string): Promise<KeyStore> {
    const store = new KeyStore(join(dataDir, 'kms', 'keys.json'));
    const state = await readStateFile(store.#file);
    for (const key of state.keys) store.#keys.set(key.keyId, key);
    for (const alias of state.aliases) store.#aliases.set(aliasSlot(alias.region, alias.aliasName), alias);
    return store;
  }

  /** In creation order, which keeps list pagination stable. */
  keys(region: string): KeyRecord[] {
    return [...this.#keys.values()].filter((key) => key.region === region);
  }

  key(region: string, keyId: string): KeyRecord | undefined {
    const key = this.#keys.get(keyId);
    return key?.region === region ? key : undefined;
  }

  aliases(region: string): AliasRecord[] {
    return [...this.#aliases.values()].filter((alias) => alias.region === region);
  }

  alias(region: string, aliasName: string): AliasRecord | undefined {
    return this.#aliases.get(aliasSlot(region, aliasName));
  }

  /** Adds or replaces a key (records are immutable; changes arrive as new records). */
  putKey(key: KeyRecord): Promise<void> {
    this.#keys.set(key.keyId, key);
    return this.#persist();
  }

  putAlias(alias: AliasRecord): Promise<void> {
    this.#aliases.set(aliasSlot(alias.region, alias.aliasName), alias);
    return this.#persist();
  }

  deleteAlias(region: string, aliasName: string): Promise<void> {
    this.#aliases.delete(aliasSlot(region, aliasName));
    return this.#persist();
  }

  /** KMS deletes a key, and the aliases pointing at it, once its waiting period is over. */
  async purgeExpired(nowMs: number): Promise<void> {
    const expired = [...this.#keys.values()].filter((key) => key.deletionDate !== undefined && key.deletionDate <= nowMs);
    if (expired.length === 0) return;
    for (const key of expired) {
      this.#keys.delete(key.keyId);
      for (const [slot, alias] of this.#aliases) {
        if (alias.targetKeyId === key.keyId) this.#aliases.delete(slot);
      }
    }
    await this.#persist();
  }

  /** Resolves once every change made so far is on disk. */
  async flush(): Promise<void> {
    await this.#writes;
  }

  // Writes are chained so they land in order; each one snapshots the state when it runs, so the
  // last write always carries every change made before it.
  #persist(): Promise<void> {
    const write = this.#writes.then(() =>
      writeStateFile(this.#file, { keys: [...this.#keys.values()], aliases: [...this.#aliases.values()] }),
    );
    this.#writes = write.catch(() => undefined);
    return write;
  }
}

const aliasSlot = (region: string, aliasName: string): string => `${region}\n${aliasName}`;
