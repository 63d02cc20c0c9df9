import { sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authenticateClient } from '#shared/client-auth/client-authentication.js';
import type { ClientAuthentication } from '#shared/client-auth/client-credentials.js';
import { nodeSignatureVerification, type SignatureVerification } from '#shared/client-auth/jwt-client-assertion.js';
import { validateJwks } from '#shared/clients/client-settings.js';
import { InvalidClient } from '#shared/errors/oauth-errors.js';
import { clientAssertion, clientKeyPair, jwksOf, type AssertionOptions, type ClientKeyPair } from '../support/client-assertions.js';
import { memoryJtiStore } from './support/memory-jti-store.js';
import { memoryClientStore, NOW, registeredClient } from './support/registered-clients.js';

/** RFC 7523 §3 client assertions through the one client-authentication module, against real signatures. */

const ISSUER = 'https://as.example.com/v1';
const TOKEN_ENDPOINT = `${ISSUER}/oauth2/token`;
const now = Math.floor(NOW.getTime() / 1000);

const rsa = clientKeyPair('RS256', 'rsa-1');
const pss = clientKeyPair('PS256', 'pss-1');
const ec = clientKeyPair('ES256', 'ec-1');
const otherClientsKey = clientKeyPair('RS256', 'other-1');
const keyClient = (clientId: string, ...pairs: ClientKeyPair[]) =>
  registeredClient({ clientId, secrets: [], authMethod: 'private_key_jwt', jwks: validateJwks(jwksOf(...pairs)) }).client;

const store = memoryClientStore(
  keyClient('rs-client', rsa),
  keyClient('ps-client', pss),
  keyClient('es-client', ec),
  keyClient('multi-client', rsa, ec),
  keyClient('other-client', otherClientsKey),
  { ...keyClient('disabled-client', rsa), status: 'disabled' },
  registeredClient({ clientId: 'secret-client' }).client,
);

function countingVerification(): { signatures: SignatureVerification; verifications: string[] } {
  const verifications: string[] = [];
  return {
    verifications,
    signatures: {
      verify: (alg, input, key, signature) => {
        verifications.push(`${alg} ${key.asymmetricKeyType}`);
        return nodeSignatureVerification.verify(alg, input, key, signature);
      },
    },
  };
}

const assertion = (pair: ClientKeyPair, clientId: string, options: Partial<AssertionOptions> = {}): ClientAuthentication => ({
  method: 'private_key_jwt',
  clientId: undefined,
  assertion: clientAssertion(pair, { clientId, audience: ISSUER, now, ...options }),
});

/** ES256 signatures are 64 bytes R || S (RFC 7518 §3.4); the DER form other libraries emit is refused. */
function derSigned(): ClientAuthentication {
  const token = clientAssertion(ec, { clientId: 'es-client', audience: ISSUER, now });
  const [header, payload] = token.split('.');
  const der = sign('sha256', Buffer.from(`${header}.${payload}`), ec.privateKey);
  return { method: 'private_key_jwt', clientId: undefined, assertion: `${header}.${payload}.${der.toString('base64url')}` };
}

async function attempt(auth: ClientAuthentication, jtis = memoryJtiStore()) {
  const { signatures, verifications } = countingVerification();
  const outcome = await authenticateClient({ clients: store, assertionJtis: jtis, signatures }, auth, {
    now: NOW,
    audiences: [ISSUER, TOKEN_ENDPOINT],
    clockSkewSeconds: 30,
  }).then(
    (client) => `authenticated ${client.clientId}`,
    (error: unknown) => (error instanceof InvalidClient ? `refused ${String(error.context.reason)}` : `threw ${String(error)}`),
  );
  return { outcome, verifications };
}

describe('private_key_jwt client authentication (RFC 7523 §2.2, §3)', () => {
  it.each([
    ['RS256', rsa, 'rs-client'],
    ['PS256', pss, 'ps-client'],
    ['ES256', ec, 'es-client'],
  ] as const)('authenticates an %s assertion with one verification', async (_, pair, clientId) => {
    expect(await attempt(assertion(pair, clientId))).toEqual({
      outcome: `authenticated ${clientId}`,
      verifications: [`${pair.alg} ${pair.alg === 'ES256' ? 'ec' : 'rsa'}`],
    });
  });

  it('accepts the token endpoint URL as audience, alone or in an array', async () => {
    expect((await attempt(assertion(rsa, 'rs-client', { audience: TOKEN_ENDPOINT }))).outcome).toBe('authenticated rs-client');
    expect((await attempt(assertion(rsa, 'rs-client', { audience: ['https://elsewhere.example', ISSUER] }))).outcome).toBe(
      'authenticated rs-client',
    );
  });

  it('tries each key of the right type when the assertion names no kid', async () => {
    const { outcome, verifications } = await attempt(assertion(ec, 'multi-client', { header: { kid: undefined } }));
    expect(outcome).toBe('authenticated multi-client');
    expect(verifications).toEqual(['ES256 ec']);
  });

  it('accepts a client_id parameter naming the same client, refuses one naming another', async () => {
    const auth = assertion(rsa, 'rs-client') as Extract<ClientAuthentication, { method: 'private_key_jwt' }>;
    expect((await attempt({ ...auth, clientId: 'rs-client' })).outcome).toBe('authenticated rs-client');
    expect((await attempt({ ...assertion(rsa, 'rs-client'), clientId: 'other-client' })).outcome).toBe('refused client_id_mismatch');
  });

  it('accepts a jti once, and again only under another client', async () => {
    const jtis = memoryJtiStore();
    const once = assertion(rsa, 'rs-client', { claims: { jti: 'shared-jti' } });
    expect((await attempt(once, jtis)).outcome).toBe('authenticated rs-client');
    expect((await attempt(once, jtis)).outcome).toBe('refused replayed');
    expect((await attempt(assertion(ec, 'es-client', { claims: { jti: 'shared-jti' } }), jtis)).outcome).toBe('authenticated es-client');
    expect(jtis.records.get(JSON.stringify(['rs-client', 'shared-jti']))).toBe(now + 60 + 30);
  });

  const refusals: [string, ClientAuthentication, string][] = [
    ['an unknown client', assertion(rsa, 'no-such-client'), 'unknown_client'],
    ['a disabled client', assertion(rsa, 'disabled-client'), 'disabled'],
    ['an assertion for a secret client', assertion(rsa, 'secret-client'), 'wrong_auth_method'],
    ['an unknown kid', assertion(rsa, 'rs-client', { header: { kid: 'no-such-kid' } }), 'unknown_kid'],
    ['the key of another client, without kid', assertion(otherClientsKey, 'rs-client', { header: { kid: undefined } }), 'bad_signature'],
    ['the key of another client, under its kid', assertion(otherClientsKey, 'rs-client', { header: { kid: 'rsa-1' } }), 'bad_signature'],
    ['an RS256 signature under a PS256 header', assertion(rsa, 'rs-client', { header: { alg: 'PS256' }, signAs: 'RS256' }), 'bad_signature'],
    ['an ES256 signature in DER instead of R || S', derSigned(), 'bad_signature'],
    ['an ES256 header on an RSA-only client', assertion(ec, 'rs-client', { header: { kid: undefined } }), 'unknown_kid'],
    ['a wrong audience', assertion(rsa, 'rs-client', { audience: 'https://other-as.example.com' }), 'wrong_audience'],
    ['the token endpoint of another issuer', assertion(rsa, 'rs-client', { audience: 'https://other-as.example.com/v1/oauth2/token' }), 'wrong_audience'],
    ['iss other than the client', assertion(rsa, 'rs-client', { claims: { iss: 'other-client' } }), 'wrong_issuer'],
    ['no exp', assertion(rsa, 'rs-client', { claims: { exp: undefined } }), 'missing_exp'],
    ['an expired assertion (beyond the skew)', assertion(rsa, 'rs-client', { now: now - 120, lifetimeSeconds: 60 }), 'expired'],
    ['exp too far ahead', assertion(rsa, 'rs-client', { lifetimeSeconds: 3600 }), 'exp_too_far_ahead'],
    ['iat in the future beyond the skew', assertion(rsa, 'rs-client', { claims: { iat: now + 120 } }), 'issued_in_future'],
    ['nbf in the future beyond the skew', assertion(rsa, 'rs-client', { claims: { nbf: now + 120 } }), 'not_yet_valid'],
    ['no jti', assertion(rsa, 'rs-client', { claims: { jti: undefined } }), 'missing_jti'],
  ];

  it.each(refusals)('refuses %s after exactly one verification', async (_, auth, reason) => {
    const { outcome, verifications } = await attempt(auth);
    expect(outcome).toBe(`refused ${reason}`);
    expect(verifications).toHaveLength(1);
  });

  it('does the same work for an unknown client as for a bad signature of a known one', async () => {
    const unknown = await attempt(assertion(rsa, 'no-such-client'));
    // Without a kid, so the forged one is checked against the client's real key.
    const forged = await attempt(assertion(otherClientsKey, 'rs-client', { header: { kid: undefined } }));
    expect(forged.outcome).toBe('refused bad_signature');
    expect(unknown.verifications).toEqual(forged.verifications);
    expect(unknown.verifications).toEqual(['RS256 rsa']);
    expect(store.lookups).toContain('no-such-client');
  });

  it('accepts an assertion within the clock skew', async () => {
    expect((await attempt(assertion(rsa, 'rs-client', { now: now - 80, lifetimeSeconds: 60 }))).outcome).toBe('authenticated rs-client');
    expect((await attempt(assertion(rsa, 'rs-client', { claims: { iat: now + 20 } }))).outcome).toBe('authenticated rs-client');
  });

  it.each([
    ['alg none', assertion(rsa, 'rs-client', { header: { alg: 'none' } }), 'disallowed_alg'],
    ['HS256 keyed with the public key', assertion(rsa, 'rs-client', { header: { alg: 'HS256' } }), 'disallowed_alg'],
    ['RS512', assertion(rsa, 'rs-client', { header: { alg: 'RS512' } }), 'disallowed_alg'],
    ['a crit header', assertion(rsa, 'rs-client', { header: { crit: ['exp'] } }), 'malformed_assertion'],
    ['no sub and no iss', assertion(rsa, 'rs-client', { claims: { sub: undefined, iss: undefined } }), 'malformed_assertion'],
    ['not a JWS', { method: 'private_key_jwt', clientId: undefined, assertion: 'not.a-jws' } as ClientAuthentication, 'malformed_assertion'],
  ])('refuses %s before looking any client up', async (_, auth, reason) => {
    const before = store.lookups.length;
    const { outcome, verifications } = await attempt(auth);
    expect(outcome).toBe(`refused ${reason}`);
    expect(verifications).toEqual([]);
    expect(store.lookups.length).toBe(before);
  });

  it('refuses a secret sent for a private_key_jwt client as the wrong method', async () => {
    const outcome = await attempt({ method: 'client_secret_basic', clientId: 'rs-client', clientSecret: 'anything' });
    expect(outcome.outcome).toBe('refused wrong_auth_method');
  });
});
