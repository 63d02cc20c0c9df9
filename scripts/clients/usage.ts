export const USAGE_HINT = 'Run "npm run clients -- help" for usage.';

export const USAGE = `Manage the OAuth clients of the authorization server.

Usage: npm run clients -- <command> [options]

Commands:
  create --name NAME --scopes "SCOPE ..."      Register a client; prints its id and first secret (shown once)
         [--default-scopes "SCOPE ..."]        Scopes granted when a request names none (default: all)
         [--audience URI]...                   Resources it may get tokens for (default: the stack's audience)
         [--default-audience URI]              Audience when a request names none (default: the first)
         [--ttl SECONDS]                       Access-token lifetime, at most 86400 (default: the stack's)
         [--claim NAME=VALUE]...               A fixed claim in every token of the client (string values)
         [--auth-method METHOD]                client_secret_basic (default; client_secret_post also works)
                                               or private_key_jwt: no secret, assertions signed by its keys
         [--jwks FILE]                         private_key_jwt: JWK Set of its public keys (RSA >= 2048, P-256)
         [--can-introspect]                    May call the introspection endpoint (RFC 7662)
  list                                         List clients (never shows secrets)
  show ID                                      Show one client and its secret ids
  rotate-secret ID [--expires-in SECONDS]      Add a new secret (shown once); the current one keeps working,
                                               until SECONDS from now when --expires-in is given
  remove-secret ID SECRET_ID [--force]         Remove a secret; refuses to remove the last working one
                                               unless --force
  set-keys ID --jwks FILE                      Replace a private_key_jwt client's public keys (rotate by
                                               publishing old + new, then new alone)
  set-claims ID --claim NAME=VALUE... | --clear
                                               Replace (or remove) the client's fixed token claims
  assertion ID --key FILE [--aud URL]          Print a fresh one-time client assertion (RFC 7523), signed
         [--alg RS256|PS256|ES256] [--kid KID] with the private key in FILE (JWK or PEM); aud defaults to
                                               the stack's issuer, and it is valid for 60 s
  disable ID | enable ID                       Stop / resume issuing tokens to a client; disable also revokes
                                               every token issued so far (enable does not bring them back)
  delete ID                                    Revoke every token of a client, then delete it
  revoke-tokens ID                             Revoke every token issued to a client so far; it stays active
  audit [ID] [--since WHEN]                    Show the audit trail of registry changes (who, what, when),
                                               of one client or all; WHEN is an ISO date/time or 30m, 24h, 7d
  help                                         Show this text

Where the clients live:
  (default)                 the running local stack, as described by .local/stack.json
  --stack-file FILE         another local stack file (also: OAUTH_STACK_FILE)
  --aws                     a deployed stack, using the default AWS credential chain
    --stack-name NAME       its CloudFormation stack (default: stack_name in samconfig.toml)
    --table NAME            the clients table directly, without reading stack outputs
    --revocations-table NAME  with --table: the revocation table (RevocationsTableName output), which
                            disable, delete and revoke-tokens write to
    --region REGION         its region (default: the AWS SDK's)
    --audit-table NAME      with --table: the audit table (changes are refused without one)

Every change is recorded in the stack's audit table with the caller's identity (on AWS from STS
GetCallerIdentity, locally the OS user); never a secret.

Output:
  --json                    machine-readable output on stdout; the new secret appears as client_secret,
                            an assertion as client_assertion

Exit status: 0 success, 1 failure, 2 bad usage or local stack not running.
`;
