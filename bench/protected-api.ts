import type { BenchContext } from './lib/context.js';
import { failuresOf, runLoad, runLoadOn } from './lib/load.js';
import type { BenchmarkReport, Row } from './lib/report.js';
import { basicCredentials, TOKEN_REQUEST_BODY } from './lib/token-request.js';
import { loadRow, settledStats } from './token-http.js';

/**
 * GET /products with one valid token, through the local gateway, the TOKEN authorizer (its decision cached per
 * token, as API Gateway does for ReauthorizeEvery) and the products function; beside GET /.well-known/jwks.json,
 * a route with no authorizer, as the gateway's own floor.
 */
export async function protectedApi(context: BenchContext): Promise<BenchmarkReport> {
  const stack = await context.stackServer();
  const response = await fetch(stack.info.tokenEndpoint, {
    method: 'POST',
    headers: {
      authorization: basicCredentials(stack.info.demoClient.clientId, stack.info.demoClient.clientSecret),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: TOKEN_REQUEST_BODY,
  });
  const { access_token: token } = (await response.json()) as { access_token: string };
  const products = { url: `${stack.info.apiUrl}/products`, headers: { authorization: `Bearer ${token}` } };
  const jwks = { url: stack.info.jwksUri };
  const first = await fetch(products.url, { headers: products.headers });
  if (first.status !== 200) throw new Error(`GET /products answered ${first.status}: ${await first.text()}`);

  const warmup = context.quick ? 1 : 3;
  context.progress(`protected API: ${warmup} s warm-up each, then ${context.durationSeconds} s each of GET /products and GET /.well-known/jwks.json`);
  await runLoad(products, warmup);
  await runLoad(jwks, warmup);
  await stack.ask('reset');
  const productsLoad = await runLoadOn(stack, products, context.durationSeconds);
  const stats = await settledStats(stack);
  const jwksLoad = await runLoadOn(stack, jwks, context.durationSeconds);

  const authorizer = stats.functions.AuthorizerFunction;
  const productsFn = stats.functions.ProductsFunction;
  const authorizerInvocations = authorizer?.invocations ?? 0;
  const rows: Row[] = [
    loadRow('ours: GET /products (gateway + authorizer + products + DynamoDB Scan)', productsLoad, { result: jwksLoad, name: 'JWKS route' }),
    loadRow('reference: GET /.well-known/jwks.json (same gateway, no authorizer)', jwksLoad),
    ...(productsFn ? [{ name: 'ProductsFunction duration under this load (REPORT lines)', unit: 'ms' as const, median: productsFn.durationMs.median, p99: productsFn.durationMs.p99 }] : []),
  ];
  return {
    id: 'protected-api',
    title: `4. Protected API over HTTP (autocannon, ${productsLoad.connections} connections, ${context.durationSeconds} s)`,
    rows,
    targets: [
      {
        description: 'no errors and no non-2xx answers on GET /products under load',
        met: failuresOf(productsLoad) === 0,
        measured: `${productsLoad.errors} errors, ${productsLoad.non2xx} non-2xx of ${productsLoad.total}`,
      },
    ],
    notes: [
      `The authorizer ran ${authorizerInvocations} time(s) during the ${productsLoad.total} measured requests: they all carry one token, whose ` +
        'decision the gateway cached (ReauthorizeEvery, 300 s) at the first request, as API Gateway does. The uncached authorizer cost is benchmark 1.',
      `Emulator calls during the GET /products load: ${JSON.stringify(stats.calls)}.`,
    ],
    details: { products: productsLoad, jwks: jwksLoad, stackStats: stats },
  };
}
