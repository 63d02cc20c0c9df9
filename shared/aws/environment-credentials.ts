import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * What the functions' bundles use in place of `@aws-sdk/credential-provider-node` (the esbuild `Alias` in
 * template.yaml's BuildProperties): the default chain reduced to its first link. A function's credentials
 * are always in its environment — Lambda puts the execution role's in AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN ("Defined runtime environment variables", Lambda Developer
 * Guide), `sam local invoke` passes the caller's the same way, and the local stack sets them for its
 * emulators — so the SSO, INI, process, web-identity and container/instance-metadata links, and the STS and
 * SSO clients they bundle, are never reached there. Without them in the environment the SDK call fails with
 * "Unable to find environment variable credentials", which the functions answer as 503.
 *
 * Only function bundles are aliased: the CLI and scripts keep the full chain (profiles, SSO, roles).
 */
// The package's only export any SDK client imports (its runtimeConfig); an import of anything else fails the build.
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);

