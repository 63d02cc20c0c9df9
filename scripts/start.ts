import { PortInUse } from '../local/stack/port-in-use.js';
import { StackAlreadyRunning } from '../local/stack/stack-lock.js';
import { startLocalStack } from '../local/stack/local-stack.js';
import { formatStartBanner } from './start/start-banner.js';

/** `npm start`: the whole stack on this machine; Ctrl-C stops it, SIGHUP reloads the signing keys. */
// Lambda runs Node 22; the SDK's notice about this machine's Node 20 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main(): Promise<void> {
  const port = process.env.PORT === undefined ? 3000 : Number.parseInt(process.env.PORT, 10);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT must be a port number, got "${process.env.PORT}"`);
  const optionalPort = (name: string): number | undefined => (process.env[name] ? Number.parseInt(process.env[name], 10) : undefined);

  const stack = await startLocalStack({
    port,
    issuer: process.env.ISSUER || undefined,
    dataDir: process.env.LOCAL_DATA_DIR || undefined,
    // 0.0.0.0 lets containers (sam local invoke / start-api) reach the emulators through host.docker.internal.
    host: process.env.HOST || undefined,
    dynamodbPort: optionalPort('DYNAMODB_PORT'),
    kmsPort: optionalPort('KMS_PORT'),
  });
  console.log(formatStartBanner(stack.info, stack.demoClient));

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping the local stack…');
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('SIGHUP', () => {
    stack
      .reloadSigningKeys()
      .then((info) => console.log(`Signing keys reloaded: signing with ${info.signingKeyId}; verifying ${info.verifyKeyIds.length} key(s).`))
      .catch((error: unknown) => console.error(`Reloading signing keys failed: ${(error as Error).message}`));
  });
}

main().catch((error: unknown) => {
  if (error instanceof PortInUse) {
    const other = error.port === 65_535 ? error.port - 1 : error.port + 1;
    console.error(`${error.message} Start on another port: PORT=${other} npm start (PORT=0 picks a free one).`);
    process.exit(1);
  }
  if (error instanceof StackAlreadyRunning) {
    console.error(error.message);
    process.exit(1);
  }
  console.error(`Could not start the local stack: ${(error as Error).message}`);
  process.exit(1);
});
