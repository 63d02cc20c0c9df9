import type { StackInfo } from '../../local/stack-info.js';
import type { PostmanClientRole, PostmanCredentials } from './postman-clients.js';

/** One variable of a Postman environment export; `secret` values are masked in the app. */
export interface PostmanVariable {
  key: string;
  value: string;
  type: 'default' | 'secret';
  enabled: true;
}

/** Postman's environment export format, as the app and newman read it. */
export interface PostmanEnvironment {
  id: string;
  name: string;
  values: PostmanVariable[];
  _postman_variable_scope: 'environment';
}

// Fixed, so Postman can replace an earlier import of a generated file instead of adding a copy.
const GENERATED_ENVIRONMENT_ID = '5c0f3b9e-7d1a-4e52-9a43-6f2d8c1b0e71';

/** The variables that carry each client's credentials, as the collection names them. */
export const CREDENTIAL_VARIABLES: Record<PostmanClientRole, { id: string; secret: string }> = {
  readWrite: { id: 'clientId', secret: 'clientSecret' },
  readOnly: { id: 'readOnlyClientId', secret: 'readOnlyClientSecret' },
  admin: { id: 'adminClientId', secret: 'adminClientSecret' },
};

/**
 * The private_key_jwt client: its id and one ready-made assertion (RFC 7523), single use and valid for
 * minutes, since Postman's sandbox cannot sign RS256/ES256 itself.
 */
export interface PostmanKeyClientVariables {
  clientId: string;
  clientAssertion: string;
}

/**
 * The environment the collection (postman/oauth-cc.postman_collection.json) expects. Only inputs live here;
 * the tokens and the created product's id are collection variables the requests set, so a stale
 * environment can never stand in for a token the run did not get.
 */
export function postmanEnvironment(
  stack: Pick<StackInfo, 'apiUrl' | 'tokenEndpoint' | 'audience'>,
  credentials: PostmanCredentials,
  /** Absent where no key client was registered: the collection then skips its private_key_jwt request. */
  keyClient?: PostmanKeyClientVariables,
): PostmanEnvironment {
  const plain = (key: string, value: string): PostmanVariable => ({ key, value, type: 'default', enabled: true });
  const secret = (key: string, value: string): PostmanVariable => ({ key, value, type: 'secret', enabled: true });
  return {
    id: GENERATED_ENVIRONMENT_ID,
    name: 'oauth-cc local (generated)',
    values: [
      plain('baseUrl', stack.apiUrl),
      plain('tokenUrl', stack.tokenEndpoint),
      plain('audience', stack.audience),
      ...(Object.keys(CREDENTIAL_VARIABLES) as PostmanClientRole[]).flatMap((role) => [
        plain(CREDENTIAL_VARIABLES[role].id, credentials[role].clientId),
        secret(CREDENTIAL_VARIABLES[role].secret, credentials[role].clientSecret),
      ]),
      ...(keyClient === undefined ? [] : [plain('keyClientId', keyClient.clientId), secret('clientAssertion', keyClient.clientAssertion)]),
    ],
    _postman_variable_scope: 'environment',
  };
}
