/** The token request every benchmark sends, to us and to the peer: client_credentials for one scope. */
export const TOKEN_SCOPE = 'products:read';
export const TOKEN_REQUEST_BODY = new URLSearchParams({ grant_type: 'client_credentials', scope: TOKEN_SCOPE }).toString();

/** RFC 6749 §2.3.1: id and secret are form-urlencoded, then sent as Basic credentials (client_secret_basic). */
export function basicCredentials(clientId: string, clientSecret: string): string {
  const encode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}
