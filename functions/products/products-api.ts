import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { Logger } from '@aws-lambda-powertools/logger';
import { systemClock, type Clock } from '#shared/time/clock.js';
import { callerFrom } from './caller.js';
import { errorResponse } from './error-response.js';
import { InsufficientScope, RouteNotFound } from './errors.js';
import { productActions } from './product-actions.js';
import type { ProductStore } from './product-store.js';
import { mayCall, routeOf, routeScopes } from './route-scopes.js';

export interface ProductsApiDependencies {
  store: ProductStore;
  logger: Pick<Logger, 'warn' | 'error'>;
  /** Tolerance when re-checking the token's `exp` from the authorizer context. */
  clockSkewSeconds: number;
  clock?: Clock;
  newId?: () => string;
}

export type ProductsApi = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

/**
 * Route → scope check → action, in that order for every request: nothing reads the body, the query or
 * the store before the caller is known to hold the route's scope (route-scopes.ts).
 */
export function makeProductsApi({ store, logger, clockSkewSeconds, clock = systemClock, newId }: ProductsApiDependencies): ProductsApi {
  const actions = productActions(store, newId);
  return async (event) => {
    try {
      const route = routeOf(event.httpMethod, event.resource);
      if (route === undefined) throw new RouteNotFound('No such route');
      const caller = callerFrom(event.requestContext.authorizer, Math.floor(clock().getTime() / 1000), clockSkewSeconds);
      if (!mayCall(route, caller.scopes)) throw new InsufficientScope(routeScopes[route]);
      return await actions[route](event);
    } catch (error) {
      return errorResponse(error, logger);
    }
  };
}
