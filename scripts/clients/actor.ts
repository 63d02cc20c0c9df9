import { hostname, userInfo } from 'node:os';
import type { Connection } from './connection.js';

/**
 * Who is changing the registry. On AWS, the identity of the credentials the CLI runs with, from STS
 * GetCallerIdentity (which needs no permission: https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html);
 * locally, the OS user, since the emulators take any credentials.
 */
export function actorFor(connection: Connection): () => Promise<string> {
  if (connection.local) return async () => `${userInfo().username}@${hostname()} (local)`;
  return async () => {
    const { STSClient, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
    const region = typeof connection.dynamodb.region === 'string' ? connection.dynamodb.region : undefined;
    const sts = new STSClient({ ...(region === undefined ? {} : { region }), maxAttempts: 2 });
    try {
      const { Arn } = await sts.send(new GetCallerIdentityCommand({}));
      if (Arn === undefined) throw new Error('STS GetCallerIdentity returned no ARN');
      return Arn;
    } finally {
      sts.destroy();
    }
  };
}
