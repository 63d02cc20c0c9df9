/**
 * The issuer (RFC 9068 `iss`, RFC 8414 `issuer`). Configured explicitly (ISSUER) when tokens should name a
 * custom domain or a local URL; otherwise it is the stage URL https://{api-id}.execute-api.{region}.{suffix}/{stage}.
 * The stage URL cannot be written into the functions' environment by the template (the API depends on the
 * functions: a circular reference), so each function derives it from what API Gateway and Lambda report.
 *
 * The token and discovery functions and the authorizer must derive the same string, or every token is
 * refused. So all three build it from the same three facts, never from a domain name: the API id and stage
 * (the proxy event's requestContext.apiId and .stage; the authorizer's method ARN) and the region (the
 * AWS_REGION variable Lambda sets in every function; the method ARN). requestContext.domainName is the
 * domain the caller used — a custom domain when one is mapped — which the method ARN never shows.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html#context-variable-reference
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
 */
export interface StageFacts {
  apiId: string | undefined;
  region: string | undefined;
  stage: string | undefined;
}

/** The default execute-api URL of a stage; undefined when a fact is missing. */
export function stageUrl({ apiId, region, stage }: StageFacts): string | undefined {
  if (!apiId || !region || !stage) return undefined;
  // The China regions' endpoints are under amazonaws.com.cn.
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://${apiId}.execute-api.${region}.${suffix}/${stage}`;
}

/** In the token and discovery functions: the requestContext of a REST proxy event, and AWS_REGION. */
export function issuerFromRequest(
  configured: string | undefined,
  requestContext: { apiId?: string | undefined; stage?: string | undefined },
  region: string | undefined,
): string | undefined {
  if (configured !== undefined) return trimSlash(configured);
  return stageUrl({ apiId: requestContext.apiId, region, stage: requestContext.stage });
}

/** In the authorizer: arn:aws:execute-api:{region}:{account}:{api-id}/{stage}/{METHOD}/{path}. */
export function issuerFromMethodArn(configured: string | undefined, methodArn: string): string | undefined {
  if (configured !== undefined) return trimSlash(configured);
  const parts = methodArn.split(':');
  if (parts.length < 6 || parts[2] !== 'execute-api') return undefined;
  const [apiId, stage] = (parts[5] ?? '').split('/');
  return stageUrl({ apiId, region: parts[3], stage });
}

function trimSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}
