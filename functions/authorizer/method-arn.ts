const SERVICE = ':execute-api:';

/**
 * The stage part of a method ARN: arn:{partition}:execute-api:{region}:{account}:{api-id}/{stage}/{METHOD}/{path}
 * → arn:{partition}:execute-api:{region}:{account}:{api-id}/{stage}. Undefined when the ARN is not shaped
 * like one, so the caller fails closed instead of writing a policy for a resource it did not understand.
 */
export function stageArnOf(methodArn: string): string | undefined {
  if (!methodArn.startsWith('arn:')) return undefined;
  const partitionEnd = methodArn.indexOf(':', 4);
  if (partitionEnd <= 4 || !methodArn.startsWith(SERVICE, partitionEnd)) return undefined;
  const regionEnd = methodArn.indexOf(':', partitionEnd + SERVICE.length);
  if (regionEnd <= partitionEnd + SERVICE.length) return undefined;
  const accountEnd = methodArn.indexOf(':', regionEnd + 1);
  if (accountEnd <= regionEnd + 1) return undefined;
  const apiEnd = methodArn.indexOf('/', accountEnd + 1);
  if (apiEnd <= accountEnd + 1) return undefined;
  const slash = methodArn.indexOf('/', apiEnd + 1);
  const stageEnd = slash < 0 ? methodArn.length : slash;
  if (stageEnd === apiEnd + 1) return undefined;
  return methodArn.slice(0, stageEnd);
}

/** `GET /products/42` from …/{stage}/GET/products/42: which route a decision was for, for metrics and logs. */
export function routeOf(methodArn: string, stageArn = stageArnOf(methodArn)): string | undefined {
  if (stageArn === undefined || methodArn.length <= stageArn.length + 1) return undefined;
  // Bounded: the path is the caller's, and a record is no place for whatever it chose to send.
  const rest = methodArn.slice(stageArn.length + 1, stageArn.length + 1 + MAX_ROUTE_LENGTH);
  const slash = rest.indexOf('/');
  return slash < 0 ? rest : `${rest.slice(0, slash)} /${rest.slice(slash + 1)}`;
}

const MAX_ROUTE_LENGTH = 128;
