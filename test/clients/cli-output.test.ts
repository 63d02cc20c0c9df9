import { describe, expect, it } from 'vitest';
import { toPublicView } from '#shared/clients/client-public-view.js';
import { renderOutcome, secretWarning } from '../../scripts/clients/output.js';
import { sampleClient } from './sample-client.js';

const NOW = new Date('2030-06-01T00:00:00.000Z');
const client = sampleClient({
  clientId: 'abc123',
  name: 'Reporting',
  secrets: [
    { secretId: 'old', hash: 'sha256:OLDHASH', createdAt: '2030-01-01T00:00:00.000Z', expiresAt: '2030-05-01T00:00:00.000Z' },
    { secretId: 'new', hash: 'sha256:NEWHASH', createdAt: '2030-05-01T00:00:00.000Z' },
  ],
});
const issued = { client, clientSecret: 'PLAINTEXT-SECRET', secretId: 'new' };

describe('toPublicView', () => {
  it('shows secret ids, dates and expiry, never hashes', () => {
    const view = toPublicView(client, NOW);
    expect(JSON.stringify(view)).not.toMatch(/hash|OLDHASH|NEWHASH/i);
    expect(view.secrets).toEqual([
      { secretId: 'old', createdAt: '2030-01-01T00:00:00.000Z', expiresAt: '2030-05-01T00:00:00.000Z', expired: true },
      { secretId: 'new', createdAt: '2030-05-01T00:00:00.000Z', expired: false },
    ]);
  });
});

describe('renderOutcome', () => {
  it('gives create --json the credential fields under their RFC 6749 names, and the client without hashes', () => {
    const json = JSON.parse(renderOutcome({ kind: 'created', issued }, { json: true, now: NOW }));
    expect(json).toEqual({ client_id: 'abc123', client_secret: 'PLAINTEXT-SECRET', secret_id: 'new', client: toPublicView(client, NOW) });
  });

  it('prints a new secret once, with the warning that it will not be shown again', () => {
    for (const kind of ['created', 'rotated'] as const) {
      const text = renderOutcome({ kind, issued }, { json: false, now: NOW });
      expect(text.split('PLAINTEXT-SECRET')).toHaveLength(2);
      expect(text).toContain('will not be shown again');
      expect(text).not.toContain('HASH');
    }
  });

  it('tells after rotation how long the other secret keeps working', () => {
    const rotated = sampleClient({
      clientId: 'abc123',
      secrets: [
        { secretId: 'kept', hash: 'sha256:x', createdAt: '2030-01-01T00:00:00.000Z' },
        { secretId: 'new', hash: 'sha256:y', createdAt: '2030-05-01T00:00:00.000Z' },
      ],
    });
    const text = renderOutcome({ kind: 'rotated', issued: { ...issued, client: rotated } }, { json: false, now: NOW });
    expect(text).toContain('Secret kept keeps working until you remove it: npm run clients -- remove-secret abc123 kept');
  });

  it('shows a client with its secrets but without hashes', () => {
    const text = renderOutcome({ kind: 'client', client }, { json: false, now: NOW });
    expect(text).toContain('Client abc123');
    expect(text).toMatch(/old {2}created 2030-01-01T00:00:00.000Z {2}expired 2030-05-01T00:00:00.000Z/);
    expect(text).toMatch(/new {2}created 2030-05-01T00:00:00.000Z {2}no expiry/);
    expect(text).not.toContain('HASH');
  });

  it('lists clients as an aligned table counting live secrets', () => {
    const other = sampleClient({ clientId: 'x', name: 'Other', status: 'disabled', allowedScopes: ['a'] });
    const text = renderOutcome({ kind: 'list', clients: [client, other] }, { json: false, now: NOW });
    expect(text.split('\n')).toEqual([
      'CLIENT ID  STATUS    LIVE SECRETS  NAME       SCOPES',
      'abc123     active    1             Reporting  products:read products:write',
      'x          disabled  1             Other      a',
      '',
    ]);
    expect(renderOutcome({ kind: 'list', clients: [] }, { json: false, now: NOW })).toBe('No clients registered.\n');
    expect(JSON.parse(renderOutcome({ kind: 'list', clients: [] }, { json: true, now: NOW }))).toEqual({ clients: [] });
  });

  it('confirms a deletion', () => {
    const deleted = { kind: 'deleted', clientId: 'abc', message: 'Deleted client abc.' } as const;
    expect(renderOutcome(deleted, { json: false, now: NOW })).toBe('Deleted client abc.\n');
    expect(JSON.parse(renderOutcome(deleted, { json: true, now: NOW }))).toEqual({ client_id: 'abc', deleted: true });
  });
});

describe('secretWarning', () => {
  const secret = (secretId: string, expiresAt?: string) => ({ secretId, hash: 'sha256:x', createdAt: '2030-01-01T00:00:00.000Z', ...(expiresAt ? { expiresAt } : {}) });

  it('warns about a client left without a working secret', () => {
    expect(secretWarning(sampleClient({ clientId: 'c', secrets: [] }), NOW)).toBe(
      'client c has no working secret; it cannot get tokens until you run: npm run clients -- rotate-secret c',
    );
    expect(secretWarning(sampleClient({ clientId: 'c', secrets: [secret('a', '2030-05-01T00:00:00.000Z')] }), NOW)).toMatch(/no working secret/);
  });

  it('warns when every working secret is due to expire, naming the last expiry', () => {
    const client = sampleClient({ clientId: 'c', secrets: [secret('a', '2030-07-01T00:00:00.000Z'), secret('b', '2030-08-01T00:00:00.000Z')] });
    expect(secretWarning(client, NOW)).toBe(
      'every secret of client c expires, the last at 2030-08-01T00:00:00.000Z; before then run: npm run clients -- rotate-secret c',
    );
  });

  it('stays quiet while one secret has no expiry', () => {
    expect(secretWarning(sampleClient({ secrets: [secret('a', '2030-07-01T00:00:00.000Z'), secret('b')] }), NOW)).toBeUndefined();
  });
});
