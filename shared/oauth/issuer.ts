/**
 * The issuer (RFC 9068 `iss`, RFC 8414 `issuer`). Configured explicitly (ISSUER) when the API is served
 * from a custom domain or locally; otherwise it is the stage URL. The stage URL cannot be written into
 * the functions' environment by the template (the API depends on the functions: a circular reference),
 * so it is derived from what API Gateway itself reports: the request's domain and stage, or, in the
 * authorizer, the method ARN. Both derivations give https://{api-id}.execute-api.{region}.amazonaws.com/{stage}.
 */
export function issuerFromRequest(
  configured: string | undefined,
  requestContext: { domainName?: string | undefined; stage?: string | undefined },
): string | undefined {
  if (configured !== undefined) return trimSlash(configured);
  const { domainName, stage } = requestContext;
  if (domainName === undefined || domainName === '' || stage === undefined || stage === '') return undefined;
  return `https://${domainName}/${stage}`;
}

/** arn:aws:execute-api:{region}:{account}:{api-id}/{stage}/{METHOD}/{path} */
export function issuerFromMethodArn(configured: string | undefined, methodArn: string): string | undefined {
  if (configured !== undefined) return trimSlash(configured);
  const parts = methodArn.split(':');
  if (parts.length < 6 || parts[2] !== 'execute-api') return undefined;
  const region = parts[3] ?? '';
  const [apiId, stage] = (parts[5] ?? '').split('/');
  if (region === '' || apiId === undefined || apiId === '' || stage === undefined || stage === '') return undefined;
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://${apiId}.execute-api.${region}.${suffix}/${stage}`;
}

function trimSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}
