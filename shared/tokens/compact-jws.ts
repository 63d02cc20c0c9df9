import type { TokenSigner } from './token-signer.js';

export interface Rs256Header {
  alg: 'RS256';
  typ: string;
  kid: string;
}

const base64url = (json: unknown): string => Buffer.from(JSON.stringify(json), 'utf8').toString('base64url');

/**
 * RFC 7515 §7.1 compact serialisation. Built by hand rather than with jose: the signature comes
 * from a remote signer, and the whole job is two JSON encodings and a join.
 */
export async function signCompactJws(signer: TokenSigner, header: Rs256Header, payload: object): Promise<string> {
  const signingInput = `${base64url(header)}.${base64url(payload)}`;
  const signature = await signer.sign(Buffer.from(signingInput, 'ascii'));
  return `${signingInput}.${Buffer.from(signature).toString('base64url')}`;
}
