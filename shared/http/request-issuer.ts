import { ServerError, UNEXPECTED_CONDITION } from '#shared/errors/oauth-errors.js';
import { issuerFromRequest } from '#shared/oauth/issuer.js';
import { stageLocation, type ProxyEvent } from './proxy-event.js';

/** Where the issuer comes from: ISSUER, or the region (AWS_REGION) with the request's API id and stage. */
export interface IssuerSettings {
  issuer: string | undefined;
  region: string | undefined;
}

/** The issuer a request to one of the authorization server's endpoints reached (shared/oauth/issuer.ts). */
export function requestIssuer({ issuer: configured, region }: IssuerSettings, event: ProxyEvent): string {
  const issuer = issuerFromRequest(configured, stageLocation(event), region);
  if (issuer === undefined) {
    throw new ServerError(UNEXPECTED_CONDITION).withContext({ reason: 'issuer_unknown' });
  }
  return issuer;
}
