import { createHash, timingSafeEqual } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hashing, type SecretHashing } from '#shared/clients/client-secrets.js';
import { MAX_SECRETS_PER_CLIENT } from '#shared/clients/registered-client.js';
import { InvalidClient } from '#shared/errors/oauth-errors.js';
import { authenticateClient } from '#shared/client-auth/client-authentication.js';
import type { ClientAuthentication } from '#shared/client-auth/client-credentials.js';
import { memoryClientStore, NOW, registeredClient, storedSecret } from './support/registered-clients.js';
import { memoryJtiStore } from './support/memory-jti-store.js';

const ISSUER = 'https://as.example.com/v1';

/**
 * RFC 6819 §5.1.4.2.2 / RFC 9700 §4.1: every refusal costs the same work, so the time an answer takes does
 * not tell an unknown client from a known one. Timing tests cannot see a skipped hash or comparison of a
 * microsecond; counting them can, deterministically.
 */
function countingHashing(): { hashing: SecretHashing; work: string[] } {
  const work: string[] = [];
  return {
    work,
    hashing: {
      digest: (secret) => {
        work.push('digest');
        return sha256Hashing.digest(secret);
      },
      equal: (a, b) => {
        work.push(`equal ${a.length}/${b.length} bytes`);
        return sha256Hashing.equal(a, b);
      },
    },
  };
}

const oneSlot = registeredClient({ clientId: 'one-slot' });
const rotating = registeredClient({ clientId: 'two-slots', secrets: [storedSecret('outgoing', new Date(NOW.getTime() + 60_000)), storedSecret('incoming')] });
const disabled = registeredClient({ clientId: 'disabled', status: 'disabled' });
const expired = registeredClient({ clientId: 'expired', secrets: [storedSecret('expired-secret', new Date(NOW.getTime() - 1000))] }, 'expired-secret');
const rotatedOut = registeredClient(
  { clientId: 'rotated-out', secrets: [storedSecret('old', new Date(NOW.getTime() - 1000)), storedSecret('new')] },
  'old',
);
const store = memoryClientStore(oneSlot.client, rotating.client, disabled.client, expired.client, rotatedOut.client);

const basic = (clientId: string, clientSecret: string): ClientAuthentication => ({ method: 'client_secret_basic', clientId, clientSecret });

const refusals: [string, ClientAuthentication][] = [
  ['an unknown client', basic('unknown-client', oneSlot.secret)],
  ['an id too long to look up', basic('x'.repeat(300), oneSlot.secret)],
  ['a disabled client with its right secret', basic('disabled', disabled.secret)],
  ['a wrong secret for a client with one secret', basic('one-slot', 'wrong')],
  ['a wrong secret for a client with two secrets', basic('two-slots', 'wrong')],
  ['an expired secret, the only one', basic('expired', expired.secret)],
  ['an expired secret next to a live one', basic('rotated-out', rotatedOut.secret)],
  ['a wrong secret over client_secret_post', { method: 'client_secret_post', clientId: 'one-slot', clientSecret: 'wrong' }],
];

/** One SHA-256 of the presented secret, then one constant-time comparison per slot a client can have. */
const EXPECTED_WORK = ['digest', ...Array.from({ length: MAX_SECRETS_PER_CLIENT }, () => 'equal 32/32 bytes')];

async function workFor(auth: ClientAuthentication): Promise<{ work: string[]; outcome: string }> {
  const { hashing, work } = countingHashing();
  const outcome = await authenticateClient({ clients: store, assertionJtis: memoryJtiStore(), hashing }, auth, { now: NOW, audiences: [ISSUER] }).then(
    (client) => `authenticated ${client.clientId}`,
    (error: unknown) => (error instanceof InvalidClient ? `refused ${String(error.context.reason)}` : `threw ${String(error)}`),
  );
  return { work, outcome };
}

describe('client authentication does the same work for every outcome (RFC 6819 §5.1.4.2.2)', () => {
  it.each(refusals)('hashes once and compares every slot for %s', async (_, auth) => {
    const { work, outcome } = await workFor(auth);
    expect(outcome).toMatch(/^refused /);
    expect(work).toEqual(EXPECTED_WORK);
  });

  it.each([
    ['the only secret', basic('one-slot', oneSlot.secret)],
    ['the first of two secrets', basic('two-slots', 'outgoing')],
    ['the second of two secrets', basic('two-slots', 'incoming')],
  ])('does the same work when it accepts %s', async (_, auth) => {
    expect(await workFor(auth)).toEqual({ work: EXPECTED_WORK, outcome: expect.stringMatching(/^authenticated /) });
  });

  it('tells the reasons apart only in the log', async () => {
    const outcomes = await Promise.all(refusals.map(async ([, auth]) => (await workFor(auth)).outcome));
    expect(outcomes).toEqual([
      'refused unknown_client',
      'refused unknown_client',
      'refused disabled',
      'refused wrong_secret',
      'refused wrong_secret',
      'refused expired_secret',
      'refused expired_secret',
      'refused wrong_secret',
    ]);
  });
});

describe('the production secret hashing', () => {
  it('is SHA-256 of the UTF-8 secret, compared with crypto.timingSafeEqual', () => {
    expect(sha256Hashing.digest('sécret')).toEqual(createHash('sha256').update('sécret', 'utf8').digest());
    expect(sha256Hashing.equal).toBe(timingSafeEqual);
  });
});
