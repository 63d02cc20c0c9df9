import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { emptyResponse, jsonResponse } from '#shared/http/json-response.js';
import { ProductNotFound } from './errors.js';
import { encodeCursor } from './page-cursor.js';
import { newProductSchema, type Product } from './product.js';
import type { ProductStore } from './product-store.js';
import { basePath, readCursor, readJsonBody, readLimit, readProductId } from './request.js';
import type { Route } from './route-scopes.js';

export type Action = (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;

/** One action per route of route-scopes.ts; the mapped type makes the two lists agree. */
export function productActions(store: ProductStore, newId: () => string = randomUUID): Record<Route, Action> {
  return {
    async 'GET /products'(event) {
      const page = await store.list(readLimit(event), readCursor(event));
      return jsonResponse(200, page.next === undefined ? { items: page.items } : { items: page.items, next: encodeCursor(page.next) });
    },

    async 'GET /products/{id}'(event) {
      const product = await store.get(readProductId(event));
      if (product === undefined) throw new ProductNotFound('No product has this id');
      return jsonResponse(200, product);
    },

    async 'POST /products'(event) {
      const { name, price, description } = readJsonBody(event, newProductSchema());
      const product: Product = { id: newId(), name, price, ...(description !== undefined && { description }) };
      await store.put(product);
      // RFC 9110 §15.3.2: 201 with Location naming the new resource.
      return jsonResponse(201, product, { Location: `${basePath(event)}/products/${product.id}` });
    },

    async 'DELETE /products/{id}'(event) {
      if (!(await store.delete(readProductId(event)))) throw new ProductNotFound('No product has this id');
      return emptyResponse(204);
    },
  };
}
