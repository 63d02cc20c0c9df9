import { createPublicKey } from 'node:crypto';
import { GetPublicKeyCommand } from '@aws-sdk/client-kms';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { b64url, hs256, signByHand, unsigned } from '../support/access-token-fixtures.js';
import { createOtherSigningKey, issuedClaims, kidOfKmsKey, signWithKmsKey, stackKms } from '../support/kms-tokens.js';
import { accessTokenFor, createTestClient, testStack } from '../support/stack-clients.js';

/**
 * RFC 6750 §3.1 / RFC 9068 §4 over real HTTP: every token the resource server must not accept gets the
 * gateway's 401 with its Bearer challenge. The hostile tokens are signed through the stack's own KMS, so
 * each differs from an acceptable token (the controls below) only in what its case names.
 */
const kms = stackKms(testStack());
let clientId: string;
let issued: string;
let kid: string;
let otherKeyArn: string;

beforeAll(async () => {
  const client = await createTestClient({ scopes: ['products:read'] });
  clientId = client.clientId;
  issued = await accessTokenFor(client);
  kid = decodeProtectedHeader(issued).kid!;
  otherKeyArn = await createOtherSigningKey(kms);
});

afterAll(() => kms.destroy());

const header = (overrides: Record<string, unknown> = {}) => ({ alg: 'RS256' as const, typ: 'at+jwt', kid, ...overrides });
const claims = (overrides: Record<string, unknown> = {}) => ({ ...issuedClaims(testStack(), clientId, 'products:read'), ...overrides });
const now = () => Math.floor(Date.now() / 1000);

/** Signed with the stack's own signing key through KMS Sign. */
const signed = (head = header(), body: object = claims()) => signWithKmsKey(kms, testStack().signingKeyId, head, body);

function getProducts(authorization?: string): Promise<Response> {
  return fetch(`${testStack().apiUrl}/products`, { headers: authorization === undefined ? {} : { authorization } });
}

async function expectUnauthorized(response: Response): Promise<void> {
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(await response.json()).toEqual({ message: 'Unauthorized' });
}

describe('controls: tokens built the way the hostile ones are, but valid', () => {
  it('accepts the token the endpoint issued', async () => {
    expect((await getProducts(`Bearer ${issued}`)).status).toBe(200);
  });

  it('accepts a token signed through KMS with the stack key and the issued claims', async () => {
    expect((await getProducts(`Bearer ${await signed()}`)).status).toBe(200);
  });

  it('accepts the application/at+jwt spelling of typ (RFC 9068 §4)', async () => {
    expect((await getProducts(`Bearer ${await signed(header({ typ: 'application/at+jwt' }))}`)).status).toBe(200);
  });
});

describe('the Authorization header', () => {
  it.each([
    ['no Authorization header', undefined],
    ['an empty header', ''],
    ['the scheme alone', 'Bearer'],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['the token without a scheme', 'TOKEN'],
    ['two tokens', 'Bearer TOKEN TOKEN'],
    ['a token that is not a JWT', 'Bearer not-a-jwt'],
  ])('answers %s with 401', async (_case, authorization) => {
    await expectUnauthorized(await getProducts(authorization?.replaceAll('TOKEN', issued)));
  });
});

describe('claims (RFC 9068 §4)', () => {
  it('refuses an expired token', async () => {
    await expectUnauthorized(await getProducts(`Bearer ${await signed(header(), claims({ iat: now() - 7200, exp: now() - 3600 }))}`));
  });

  it('refuses a token that is not valid yet (nbf)', async () => {
    await expectUnauthorized(await getProducts(`Bearer ${await signed(header(), claims({ nbf: now() + 600 }))}`));
  });

  it('refuses a token from another issuer', async () => {
    await expectUnauthorized(await getProducts(`Bearer ${await signed(header(), claims({ iss: 'https://attacker.example' }))}`));
    await expectUnauthorized(await getProducts(`Bearer ${await signed(header(), claims({ iss: `${testStack().issuer}/` }))}`));
  });

  it('refuses a token for another audience', async () => {
    await expectUnauthorized(await getProducts(`Bearer ${await signed(header(), claims({ aud: 'https://reports.example/api' }))}`));
  });

  it('refuses a JWT that is not an access token (typ)', async () => {
    await expectUnauthorized(await getProducts(`Bearer ${await signed(header({ typ: 'JWT' }))}`));
    await expectUnauthorized(await getProducts(`Bearer ${await signed(header({ typ: 'id_token+jwt' }))}`));
  });

  it('refuses a token without a required claim', async () => {
    await expectUnauthorized(await getProducts(`Bearer ${await signed(header(), claims({ jti: undefined }))}`));
    await expectUnauthorized(await getProducts(`Bearer ${await signed(header(), claims({ client_id: undefined }))}`));
  });
});

describe('integrity (RFC 8725)', () => {
  it('refuses an issued token whose payload was changed', async () => {
    const [head, payload, signature] = issued.split('.') as [string, string, string];
    const widened = { ...JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')), scope: 'products:read products:write products:delete' };
    await expectUnauthorized(await getProducts(`Bearer ${head}.${b64url(JSON.stringify(widened))}.${signature}`));
  });

  it('refuses an issued token whose signature was changed', async () => {
    const [head, payload, signature] = issued.split('.') as [string, string, string];
    const bytes = Buffer.from(signature, 'base64url');
    bytes[bytes.length >> 1]! ^= 0x01;
    await expectUnauthorized(await getProducts(`Bearer ${head}.${payload}.${bytes.toString('base64url')}`));
  });

  it('refuses alg "none"', async () => {
    await expectUnauthorized(await getProducts(`Bearer ${signByHand({ alg: 'none', typ: 'at+jwt', kid }, claims(), unsigned)}`));
    await expectUnauthorized(await getProducts(`Bearer ${signByHand({ alg: 'none', typ: 'at+jwt', kid }, claims(), unsigned)}.`));
  });

  it('refuses HS256 keyed with the public key', async () => {
    const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: testStack().signingKeyId }));
    const publicKey = createPublicKey({ key: Buffer.from(PublicKey!), format: 'der', type: 'spki' });
    for (const secret of [publicKey.export({ format: 'pem', type: 'spki' }), Buffer.from(PublicKey!), JSON.stringify(publicKey.export({ format: 'jwk' }))]) {
      await expectUnauthorized(await getProducts(`Bearer ${signByHand(header({ alg: 'HS256' }), claims(), hs256(secret))}`));
    }
  });

  it('refuses a kid the stack does not publish', async () => {
    await expectUnauthorized(await getProducts(`Bearer ${await signed(header({ kid: 'not-a-published-kid' }))}`));
    await expectUnauthorized(await getProducts(`Bearer ${await signed(header({ kid: undefined }))}`));
  });

  it('refuses a token signed through KMS with another key of the account, under the stack\u2019s kid', async () => {
    await expectUnauthorized(await getProducts(`Bearer ${await signWithKmsKey(kms, otherKeyArn, header(), claims())}`));
  });

  it('refuses a token signed through KMS with another key of the account, under that key\u2019s own kid', async () => {
    const otherKid = await kidOfKmsKey(kms, otherKeyArn);
    expect(otherKid).not.toBe(kid);
    await expectUnauthorized(await getProducts(`Bearer ${await signWithKmsKey(kms, otherKeyArn, header({ kid: otherKid }), claims())}`));
  });
});
