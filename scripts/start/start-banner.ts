import type { StackInfo } from '../../local/stack-info.js';

/** What a user needs next: URLs, the demo client (its secret shown this once) and a curl line to paste. */
export function formatStartBanner(info: StackInfo, demo: { clientId: string; clientSecret: string }): string {
  return [
    '',
    'Local OAuth stack is running (Ctrl-C to stop).',
    '',
    `  API             ${info.apiUrl}`,
    `  Token endpoint  ${info.tokenEndpoint}`,
    `  JWKS            ${info.jwksUri}`,
    `  Metadata        ${info.apiUrl}/.well-known/oauth-authorization-server`,
    `  Issuer          ${info.issuer}`,
    `  Audience        ${info.audience}`,
    '',
    `  Demo client id      ${demo.clientId}`,
    `  Demo client secret  ${demo.clientSecret}`,
    '  (scopes products:read products:write; a new secret is issued at every start and shown only here)',
    '',
    'Get a token:',
    `  curl -s -u '${demo.clientId}:${demo.clientSecret}' -d grant_type=client_credentials ${info.tokenEndpoint}`,
    '',
    'Call the API with it:',
    `  TOKEN=$(curl -s -u '${demo.clientId}:${demo.clientSecret}' -d grant_type=client_credentials ${info.tokenEndpoint} | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')`,
    `  curl -s -H "Authorization: Bearer $TOKEN" ${info.apiUrl}/products`,
    '',
    `  DynamoDB  ${info.dynamodbEndpoint}   KMS  ${info.kmsEndpoint}   state  ${info.dataDir}/stack.json`,
    '',
  ].join('\n');
}
