import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for STS that answers GetCallerIdentity as STS does (Query protocol, XML), so a CLI run "on
 * AWS" can name the actor of an audited change without reaching AWS. Point the SDK at it with
 * AWS_ENDPOINT_URL_STS, the standard per-service endpoint variable.
 */
export async function startStsStandIn(callerArn: string): Promise<{ endpoint: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'text/xml' });
      response.end(
        `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>${callerArn}</Arn>` +
          '<UserId>AROAEXAMPLE:alice</UserId><Account>111122223333</Account></GetCallerIdentityResult>' +
          '<ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
