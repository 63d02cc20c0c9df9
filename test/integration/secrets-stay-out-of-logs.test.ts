import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { runClientsCli } from '../../scripts/clients/run.js';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { issuedClaims, signWithKmsKey, stackKms } from '../support/kms-tokens.js';
import { waitFor } from '../support/project-process.js';
import { assertionForm, clientAssertion, clientKeyPair, jwksOf } from '../support/client-assertions.js';
import { basicAuthorization, createTestClient, stackRegistry, testStack, type TestClient } from '../support/stack-clients.js';

/**
 * RFC 6819 §5.1.4.1 / RFC 9700: credentials must not end up in logs. This file drives the stack through
 * successes and every kind of refusal with secrets and tokens it knows, then searches everything the
 * functions and the gateway logged during the run (all files' traffic included, in `logFile`) for them,
 * and for anything shaped like a JWT or Basic credentials.
 */
const kms = stackKms(testStack());
const secrets: string[] = [];
const authorizations: string[] = [];
const tokens: string[] = [];
let client: TestClient;
let lastJti: string;
let auditedClientId: string;

/** Creates a client and rotates its secret with `npm run clients` (in-process); keeps both secrets to search for. */
async function cliSecrets(): Promise<string> {
  let stdout = '';
  const io = { stdout: (text: string) => void (stdout += text), stderr: () => undefined, env: { OAUTH_STACK_FILE: join(testStack().dataDir, 'stack.json') } };
  const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
  expect(await runClientsCli(['create', '--json', '--name', 'leak scan', '--scopes', 'products:read'], io, { projectRoot })).toBe(0);
  const created = JSON.parse(stdout) as { client_id: string; client_secret: string };
  stdout = '';
  expect(await runClientsCli(['rotate-secret', created.client_id, '--json'], io, { projectRoot })).toBe(0);
  secrets.push(created.client_secret, (JSON.parse(stdout) as { client_secret: string }).client_secret);
  return created.client_id;
}

afterAll(() => kms.destroy());

function post(body: string, headers: Record<string, string> = {}, query = ''): Promise<Response> {
  if (headers.authorization !== undefined) authorizations.push(headers.authorization);
  return fetch(`${testStack().tokenEndpoint}${query}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });
}

function callApi(authorization: string, method = 'GET'): Promise<Response> {
  authorizations.push(authorization);
  return fetch(`${testStack().apiUrl}/products`, { method, headers: { authorization, 'content-type': 'application/json' }, ...(method === 'POST' && { body: '{"name":"x","price":1}' }) });
}

const form = (values: Record<string, string>) => new URLSearchParams(values).toString();

async function issue(body: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await post(body, headers);
  const { access_token: token } = (await response.json()) as { access_token: string };
  expect(response.status).toBe(200);
  tokens.push(token);
  return token;
}

beforeAll(async () => {
  client = await createTestClient({ scopes: ['products:read'] });
  const rotated = await stackRegistry().rotateSecret(client.clientId);
  const disabled = await createTestClient();
  await stackRegistry().disableClient(disabled.clientId);
  secrets.push(client.clientSecret, rotated.clientSecret, disabled.clientSecret, testStack().demoClientSecret);
  const { clientId, clientSecret } = client;
  const basic = { authorization: basicAuthorization(clientId, clientSecret) };

  // Successes, both methods, both secrets.
  const viaBasic = await issue('grant_type=client_credentials', basic);
  await issue(form({ grant_type: 'client_credentials', client_id: clientId, client_secret: rotated.clientSecret }));
  // Every kind of refusal that carries a credential.
  await post('grant_type=client_credentials', { authorization: basicAuthorization(clientId, `${clientSecret}-wrong`) });
  await post(form({ grant_type: 'client_credentials', client_id: clientId, client_secret: `${clientSecret}-wrong` }));
  await post('grant_type=client_credentials', { authorization: basicAuthorization(disabled.clientId, disabled.clientSecret) });
  await post(form({ grant_type: 'client_credentials', client_id: `unknown-${clientId}`, client_secret: clientSecret }));
  // Id and secret swapped, a common mistake with curl -u and Postman: the secret arrives as the client id.
  await post('grant_type=client_credentials', { authorization: basicAuthorization(clientSecret, clientId) });
  await post(form({ grant_type: 'client_credentials', client_id: rotated.clientSecret, client_secret: clientId }));
  await post(form({ grant_type: 'client_credentials', client_id: disabled.clientSecret }));
  await post(`grant_type=client_credentials&client_id=${clientId}&client_secret=${clientSecret}&client_secret=${clientSecret}`);
  await post(form({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }), basic);
  await post('grant_type=client_credentials', basic, `?client_secret=${clientSecret}`);
  await post('grant_type=password', basic);
  await post(form({ grant_type: 'client_credentials', scope: 'products:delete' }), basic);
  await post(form({ grant_type: 'client_credentials', resource: 'https://elsewhere.example' }), basic);
  await post('grant_type=client_credentials', { authorization: `Basic ${Buffer.from(`${clientId}${clientSecret}`).toString('base64')}` });
  await post('grant_type=client_credentials', { authorization: `Bearer ${viaBasic}` });

  // Client assertions are credentials too (RFC 7523): accepted, replayed, forged, for an unknown client.
  const key = clientKeyPair('ES256');
  const keyClient = await stackRegistry().createKeyClient({ name: 'log check key client', scopes: ['products:read'], jwks: jwksOf(key) });
  const assertion = (clientId: string, pair = key) => {
    const made = clientAssertion(pair, { clientId, audience: testStack().issuer });
    tokens.push(made);
    return assertionForm(made).toString();
  };
  const accepted = assertion(keyClient.clientId);
  await issue(accepted);
  await post(accepted);
  await post(assertion(keyClient.clientId, clientKeyPair('ES256')));
  await post(assertion(`unknown-${keyClient.clientId}`));
  await post(assertion(keyClient.clientId), basic);

  // The resource server: accepted, insufficient scope, and refused tokens.
  expect((await callApi(`Bearer ${viaBasic}`)).status).toBe(200);
  expect((await callApi(`Bearer ${viaBasic}`, 'POST')).status).toBe(403);
  const [head, payload, signature] = viaBasic.split('.') as [string, string, string];
  const tampered = `${head}.${payload}.${signature.split('').reverse().join('')}`;
  const expiredClaims = { ...issuedClaims(testStack(), clientId, 'products:read'), exp: Math.floor(Date.now() / 1000) - 3600 };
  const expired = await signWithKmsKey(kms, testStack().signingKeyId, { alg: 'RS256', typ: 'at+jwt', kid: decodeProtectedHeader(viaBasic).kid! }, expiredClaims);
  tokens.push(tampered, expired);
  expect((await callApi(`Bearer ${tampered}`)).status).toBe(401);
  expect((await callApi(`Bearer ${expired}`)).status).toBe(401);
  expect((await callApi(`Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`)).status).toBe(401);

  // Registry changes through the CLI, which records each in the audit trail.
  auditedClientId = await cliSecrets();

  // The last token issued; once its issuance is in the log, so is everything the functions wrote before it.
  const last = await issue('grant_type=client_credentials', basic);
  lastJti = JSON.parse(Buffer.from(last.split('.')[1]!, 'base64url').toString('utf8')).jti as string;
}, 60_000);

it('logs no client secret, Authorization header value or access token', async () => {
  const log = await waitFor('the last issuance to reach the log', async () => {
    const text = await readFile(testStack().logFile, 'utf8');
    return text.includes(lastJti) ? text : undefined;
  });
  // The search is over real entries about these very requests.
  expect(log).toContain(client.clientId);
  expect(log).toMatch(/invalid_client/);

  for (const secret of secrets) expect(log).not.toContain(secret);
  for (const authorization of authorizations) {
    expect(log).not.toContain(authorization);
    expect(log).not.toContain(authorization.slice(authorization.indexOf(' ') + 1));
  }
  for (const token of tokens) {
    expect(log).not.toContain(token);
    expect(log).not.toContain(token.split('.')[2]!);
  }
  // Whatever the other files of the run sent: nothing shaped like a JWT or like Basic credentials.
  expect(log).not.toMatch(/eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]*/);
  expect(log).not.toMatch(/Basic [A-Za-z0-9+/]{20,}/);
});

it('puts no secret, Authorization header value or token in a metric record, an access-log line or an audit record', async () => {
  const entries = (await readFile(testStack().logFile, 'utf8')).split('\n');
  const metrics = entries.filter((entry) => /^(TokenFunction|AuthorizerFunction)\t\{"_aws"/.test(entry));
  const access = entries.filter((entry) => entry.startsWith('api-access\t'));
  const dynamodb = new DynamoDBClient({ region: testStack().region, endpoint: testStack().dynamodbEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const { Items: audit = [] } = await DynamoDBDocumentClient.from(dynamodb).send(
    new QueryCommand({ TableName: testStack().auditTable, KeyConditionExpression: 'clientId = :c', ExpressionAttributeValues: { ':c': auditedClientId } }),
  );
  dynamodb.destroy();
  // Each source is searched over real records of these requests.
  expect(metrics.some((entry) => entry.includes(client.clientId))).toBe(true);
  expect(access.some((entry) => entry.includes(client.clientId))).toBe(true);
  expect(audit.map((item) => item.action)).toEqual(['create', 'rotate-secret']);

  for (const [source, text] of [['metrics', metrics.join('\n')], ['access log', access.join('\n')], ['audit', JSON.stringify(audit)]] as const) {
    for (const secret of secrets) expect({ source, leaked: text.includes(secret) }).toEqual({ source, leaked: false });
    for (const authorization of authorizations) expect({ source, leaked: text.includes(authorization.slice(authorization.indexOf(' ') + 1)) }).toEqual({ source, leaked: false });
    for (const token of tokens) expect({ source, leaked: text.includes(token.split('.')[2]!) }).toEqual({ source, leaked: false });
    expect({ source, jwtShaped: /eyJ[\w-]{8,}\.eyJ[\w-]{8,}\./.test(text) }).toEqual({ source, jwtShaped: false });
  }
  // Not even the hash of a secret reaches the audit trail.
  expect(JSON.stringify(audit)).not.toMatch(/hash/i);
});
