import type { IssuedSecret } from '#shared/clients/client-registry.js';
import { toPublicView, type PublicClientView, type PublicSecretView } from '#shared/clients/client-public-view.js';
import { usesPrivateKeyJwt, type RegisteredClient } from '#shared/clients/registered-client.js';
import { isExpired } from '#shared/clients/secret-expiry.js';
import { formatScope } from '#shared/oauth/scope.js';
import type { MadeAssertion } from './client-assertion.js';

/** What a command produced, before it is rendered for people or for programs. */
export type Outcome =
  | { kind: 'created'; issued: IssuedSecret }
  | { kind: 'rotated'; issued: IssuedSecret }
  | { kind: 'client'; client: RegisteredClient; message?: string }
  | { kind: 'list'; clients: RegisteredClient[] }
  | { kind: 'deleted'; clientId: string; message: string }
  | { kind: 'assertion'; assertion: MadeAssertion };

export function renderOutcome(outcome: Outcome, options: { json: boolean; now: Date }): string {
  return options.json ? renderJson(outcome, options.now) : renderText(outcome, options.now);
}

/** Credential fields carry their RFC 6749 §2.3.1 names so they can be fed straight into a token request. */
function renderJson(outcome: Outcome, now: Date): string {
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  switch (outcome.kind) {
    case 'created':
    case 'rotated': {
      const { client, clientSecret, secretId } = outcome.issued;
      return json({ client_id: client.clientId, client_secret: clientSecret, secret_id: secretId, client: toPublicView(client, now) });
    }
    case 'client':
      return json(toPublicView(outcome.client, now));
    case 'list':
      return json({ clients: outcome.clients.map((client) => toPublicView(client, now)) });
    case 'deleted':
      return json({ client_id: outcome.clientId, deleted: true });
    case 'assertion': {
      const { clientAssertionType, clientAssertion, clientId, audience, kid, alg, expiresAt } = outcome.assertion;
      return json({ client_assertion_type: clientAssertionType, client_assertion: clientAssertion, client_id: clientId, aud: audience, kid, alg, exp: expiresAt });
    }
  }
}

function renderText(outcome: Outcome, now: Date): string {
  switch (outcome.kind) {
    case 'created':
      return [`Created client "${outcome.issued.client.name}".`, '', ...credentials(outcome.issued), '', ...details(toPublicView(outcome.issued.client, now))].join('\n') + '\n';
    case 'rotated':
      return [`Added secret ${outcome.issued.secretId} to client ${outcome.issued.client.clientId}.`, '', ...credentials(outcome.issued), '', ...otherSecrets(outcome.issued, now)].join('\n') + '\n';
    case 'client':
      return [...(outcome.message === undefined ? [] : [outcome.message, '']), ...details(toPublicView(outcome.client, now))].join('\n') + '\n';
    case 'list':
      return listTable(outcome.clients.map((client) => toPublicView(client, now)));
    case 'deleted':
      return `${outcome.message}\n`;
    // The assertion alone, so that `$(npm run -s clients -- assertion …)` is the parameter value.
    case 'assertion':
      return `${outcome.assertion.clientAssertion}\n`;
  }
}

function credentials({ client, clientSecret, secretId }: IssuedSecret): string[] {
  return [
    `  client_id:      ${client.clientId}`,
    `  client_secret:  ${clientSecret}`,
    `  secret_id:      ${secretId}`,
    '',
    'Store the client secret now: only its hash is kept, so it will not be shown again.',
  ];
}

function otherSecrets({ client, secretId }: IssuedSecret, now: Date): string[] {
  const others = toPublicView(client, now).secrets.filter((secret) => secret.secretId !== secretId);
  if (others.length === 0) return ['The client has no other secret.'];
  return others.map((secret) =>
    secret.expiresAt === undefined
      ? `Secret ${secret.secretId} keeps working until you remove it: npm run clients -- remove-secret ${client.clientId} ${secret.secretId}`
      : `Secret ${secret.secretId} keeps working until ${secret.expiresAt}.`,
  );
}

function details(view: PublicClientView): string[] {
  return [
    `Client ${view.clientId}`,
    `  name:              ${view.name}`,
    `  status:            ${view.status}`,
    `  scopes:            ${formatScope(view.allowedScopes)}`,
    `  default scopes:    ${formatScope(view.defaultScopes)}`,
    `  audiences:         ${view.allowedAudiences.join(', ')}`,
    `  default audience:  ${view.defaultAudience}`,
    `  token lifetime:    ${view.tokenLifetimeSeconds} s`,
    `  auth method:       ${view.authMethod}`,
    `  introspection:     ${view.canIntrospect ? 'allowed' : 'not allowed'}`,
    `  created:           ${view.createdAt}`,
    `  updated:           ${view.updatedAt}`,
    ...(view.keys === undefined ? secretLines(view) : keyLines(view.keys)),
    ...claimLines(view.claims),
  ];
}

function secretLines(view: PublicClientView): string[] {
  return [
    `  secrets:           ${view.secrets.length === 0 ? 'none (the client cannot get tokens)' : ''}`.trimEnd(),
    ...view.secrets.map((secret) => `    ${secret.secretId}  created ${secret.createdAt}  ${expiry(secret)}`),
  ];
}

function keyLines(keys: NonNullable<PublicClientView['keys']>): string[] {
  return ['  keys:', ...keys.map((key) => `    ${key.kid}  ${key.kty}${key.alg === undefined ? '' : `  ${key.alg}`}`)];
}

function claimLines(claims: Record<string, string>): string[] {
  const entries = Object.entries(claims);
  if (entries.length === 0) return [];
  return ['  claims:', ...entries.map(([name, value]) => `    ${name} = ${JSON.stringify(value)}`)];
}

function expiry(secret: PublicSecretView): string {
  if (secret.expiresAt === undefined) return 'no expiry';
  return secret.expired ? `expired ${secret.expiresAt}` : `expires ${secret.expiresAt}`;
}

function listTable(views: PublicClientView[]): string {
  if (views.length === 0) return 'No clients registered.\n';
  const rows = [
    ['CLIENT ID', 'STATUS', 'LIVE SECRETS', 'NAME', 'SCOPES'],
    ...views.map((view) => [
      view.clientId,
      view.status,
      view.keys === undefined ? String(view.secrets.filter((secret) => !secret.expired).length) : `${view.keys.length} key${view.keys.length === 1 ? '' : 's'}`,
      view.name,
      formatScope(view.allowedScopes),
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n') + '\n';
}

/** A client that is, or soon will be, unable to authenticate should not go unnoticed. */
export function secretWarning(client: RegisteredClient, now: Date): string | undefined {
  if (usesPrivateKeyJwt(client)) return undefined;
  const { clientId, secrets } = client;
  const live = secrets.filter((secret) => !isExpired(secret, now));
  const rotate = `npm run clients -- rotate-secret ${clientId}`;
  if (live.length === 0) return `client ${clientId} has no working secret; it cannot get tokens until you run: ${rotate}`;
  const expiries = live.flatMap((secret) => (secret.expiresAt === undefined ? [] : [secret.expiresAt]));
  if (expiries.length < live.length) return undefined;
  return `every secret of client ${clientId} expires, the last at ${expiries.sort().at(-1)}; before then run: ${rotate}`;
}
